import type { Config } from '../config/config.js';
import type { PipelineConfig } from '../pipeline/index.js';

// Beyond a cloud job's own deadline: uploads, downloads, the resilience layer's retries, then the
// local fallback if the cloud gives up.
const cloudSlackMs = 5 * 60_000;
// Modal's and Shotstack's clients wait up to 20 minutes for a job (their own default).
const overlayJobMs = 20 * 60_000;

/**
 * How much longer a stage may take when a cloud provider serves it. The pipeline's deadline is the
 * backstop for a stage that hangs; it must never cut off a healthy cloud render that is still
 * within the provider's own, documented deadline.
 */
export function cloudStageDeadlines(config: Config): NonNullable<PipelineConfig['stageDeadlines']> {
  const overlayJobs = (config.MODAL_OVERLAY_ENDPOINT ? 1 : 0) + (config.SHOTSTACK_API_KEY ? 1 : 0);
  return {
    ...(config.ELEVEN_API_KEY ? { tts: { cloudMs: 3 * 60_000 } } : {}),
    ...(config.FALAI_API_TOKEN
      ? { video: { cloudMs: config.FALAI_TIMEOUT_MINUTES * 60_000 + cloudSlackMs } }
      : {}),
    // The matte (Modal) and the montage (Shotstack) run one after the other.
    ...(overlayJobs > 0 ? { overlay: { cloudMs: overlayJobs * overlayJobMs + cloudSlackMs } } : {}),
  };
}
