import type { GenerationState } from '../../domain/generation/state.js';
import { StageFailedError } from '../pipeline-errors.js';
import { elapsedSince, requestOf, type StageStep } from '../stage-context.js';

/**
 * The video the user receives: the composite for the background format, else the talking head
 * with its captions burned in, or as rendered when it has none.
 */
export function finalVideoKey(state: GenerationState): string {
  const key =
    state.request?.format === 'background'
      ? state.subtitles?.videoKey
      : (state.subtitles?.videoKey ?? state.talkingHead?.result?.videoKey);
  if (!key) throw new Error(`no final video recorded for a generation in status ${state.status}`);
  return key;
}

/** Measures the final file (what Telegram is told) and records completion with the total time. */
export const completeGeneration: StageStep = async (ctx, state) => {
  const request = requestOf(state);
  const videoKey = finalVideoKey(state);
  const startedAt = performance.now();
  const path = await ctx.files.fetch(videoKey, 'final-video');
  const info = await ctx.deps.providers.probe.probe(path);
  if (!info.video || !(info.durationSec > 0)) {
    throw new StageFailedError(
      'render',
      false,
      `the final video ${videoKey} has no playable video stream`,
    );
  }
  const totalMs = Math.max(0, ctx.deps.now().getTime() - new Date(request.requestedAt).getTime());
  ctx.log.info(
    {
      stage: 'render',
      elapsedMs: elapsedSince(startedAt),
      bytes: info.sizeBytes,
      durationSec: info.durationSec,
      totalMs,
    },
    'generation complete',
  );
  return ctx.record(
    {
      type: 'CompleteGeneration',
      videoKey,
      durationSec: info.durationSec,
      width: info.video.width,
      height: info.video.height,
      timings: { total: totalMs },
    },
    state,
  );
};
