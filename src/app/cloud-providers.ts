import { join } from 'node:path';
import { MatteMontageCompositor } from '../adapters/composite/matte-montage-compositor.js';
import { createElevenLabsSpeech } from '../adapters/elevenlabs/elevenlabs-speech.js';
import { createFalImageEditor } from '../adapters/fal/fal-image-editor.js';
import { createFalTalkingHead } from '../adapters/fal/fal-talking-head.js';
import { FallbackCompositor } from '../adapters/fallback/fallback-compositor.js';
import { FallbackTalkingHead } from '../adapters/fallback/fallback-talking-head.js';
import { RoutingSpeechSynthesizer } from '../adapters/fallback/routing-speech.js';
import type { FfprobeMediaProbe } from '../adapters/local/probe/ffprobe-probe.js';
import { LocalMatteMaker } from '../adapters/local/matte/local-matte-maker.js';
import { FfmpegMontageRenderer } from '../adapters/local/montage/index.js';
import { createModalOverlay } from '../adapters/modal/index.js';
import { createS3Storage } from '../adapters/s3/create-s3-storage.js';
import { createShotstackMontage } from '../adapters/shotstack/index.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import type { Providers } from './local-providers.js';

export interface CloudProviderOptions {
  /** Poll intervals for Modal and Shotstack (tests use short ones). */
  readonly pollIntervalMs?: number;
}

/** Which provider serves each port, for the start-up log line and the bot's honest captions. */
export function describeProviders(providers: Providers): Record<string, string> {
  return {
    storage: providers.storage.provider,
    speech: providers.speech.provider,
    talkingHead: providers.talkingHead.provider,
    compositor: providers.compositor.provider,
    imageEditor: providers.imageEditor.available ? providers.imageEditor.provider : 'none',
  };
}

/**
 * Swaps in each cloud provider whose key is set, keeping the local one behind it as the fallback:
 * R2/S3 storage, ElevenLabs speech (local voices still spoken locally), fal.ai OmniHuman for the
 * talking head and nano-banana for portrait edits, and for the background
 * format the Modal matte and the Shotstack montage (either may be local when only the other is
 * configured). A cloud client that cannot serve falls back to the local provider per call.
 */
export function withCloudProviders(
  local: Providers,
  config: Config,
  log: Logger,
  options: CloudProviderOptions = {},
): Providers {
  const probe = local.probe as FfprobeMediaProbe;
  const storage = createS3Storage(config, log) ?? local.storage;

  const eleven = createElevenLabsSpeech({ config, log, probe });
  const speech = eleven
    ? new RoutingSpeechSynthesizer({ cloud: eleven, local: local.speech, log })
    : local.speech;

  const poll =
    options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {};
  const fal = createFalTalkingHead({ config, storage, probe, log, ...poll });
  const talkingHead = fal
    ? new FallbackTalkingHead(fal, local.talkingHead, log)
    : local.talkingHead;
  const imageEditor = createFalImageEditor({ config, storage, log, ...poll }) ?? local.imageEditor;

  const montage = createShotstackMontage({ config, storage, probe, log, ...poll });
  const matte = createModalOverlay({ config, storage, probe, log, ...poll });
  const compositor =
    montage || matte
      ? new FallbackCompositor(
          new MatteMontageCompositor({
            matte:
              matte ??
              new LocalMatteMaker({ probe, logger: log, maskDir: join(config.DATA_DIR, 'masks') }),
            montage: montage ?? new FfmpegMontageRenderer({ probe, logger: log }),
            log,
          }),
          local.compositor,
          log,
        )
      : local.compositor;

  return { ...local, storage, speech, talkingHead, imageEditor, compositor };
}
