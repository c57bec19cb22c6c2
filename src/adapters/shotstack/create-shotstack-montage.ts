import type { Config } from '../../config/config.js';
import type { Logger } from '../../logging/logger.js';
import type { FileStorage } from '../../ports/file-storage/file-storage.js';
import type { FfprobeMediaProbe } from '../local/probe/ffprobe-probe.js';
import {
  ShotstackMontageRenderer,
  type ShotstackMontageRendererOptions,
} from './shotstack-montage-renderer.js';

export interface CreateShotstackMontageOptions {
  readonly config: Pick<Config, 'SHOTSTACK_API_KEY' | 'SHOTSTACK_STAGE' | 'SHOTSTACK_BASE_URL'>;
  readonly storage: FileStorage;
  readonly probe: FfprobeMediaProbe;
  readonly log: Logger;
  readonly pollIntervalMs?: number;
  readonly pricePerMinuteUsd?: number;
  readonly extra?: Partial<
    Omit<
      ShotstackMontageRendererOptions,
      'apiKey' | 'stage' | 'baseUrl' | 'storage' | 'probe' | 'log'
    >
  >;
}

/**
 * The Shotstack montage when `SHOTSTACK_API_KEY` is set; undefined otherwise (the ffmpeg montage
 * serves).
 */
export function createShotstackMontage(
  options: CreateShotstackMontageOptions,
): ShotstackMontageRenderer | undefined {
  const { config } = options;
  if (!config.SHOTSTACK_API_KEY) return undefined;
  if (config.SHOTSTACK_STAGE === 'stage') {
    options.log.warn(
      { stage: 'montage', provider: 'shotstack' },
      'Shotstack sandbox (stage): renders carry a watermark',
    );
  }
  return new ShotstackMontageRenderer({
    ...options.extra,
    apiKey: config.SHOTSTACK_API_KEY,
    stage: config.SHOTSTACK_STAGE,
    ...(config.SHOTSTACK_BASE_URL ? { baseUrl: config.SHOTSTACK_BASE_URL } : {}),
    storage: options.storage,
    probe: options.probe,
    log: options.log,
    ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
    ...(options.pricePerMinuteUsd !== undefined
      ? { pricePerMinuteUsd: options.pricePerMinuteUsd }
      : {}),
  });
}
