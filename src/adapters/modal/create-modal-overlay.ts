import type { Env } from '../../config/env-schema.js';
import type { Logger } from '../../logging/logger.js';
import type { FileStorage } from '../../ports/file-storage/file-storage.js';
import type { FfprobeMediaProbe } from '../local/probe/ffprobe-probe.js';
import { ModalOverlayClient } from './modal-overlay-client.js';

export interface CreateModalOverlayOptions {
  readonly config: Pick<
    Env,
    'MODAL_OVERLAY_ENDPOINT' | 'MODAL_OVERLAY_TOKEN' | 'MODAL_POLL_INTERVAL_MS'
  >;
  readonly storage: FileStorage;
  readonly probe?: FfprobeMediaProbe;
  readonly log?: Logger;
  /** Overrides MODAL_POLL_INTERVAL_MS (tests poll fast). */
  readonly pollIntervalMs?: number;
}

/**
 * The Modal overlay client when MODAL_OVERLAY_ENDPOINT is set, otherwise undefined so the caller
 * falls back to the local matte maker: `createModalOverlay(…) ?? new LocalMatteMaker(…)`.
 */
export function createModalOverlay(
  options: CreateModalOverlayOptions,
): ModalOverlayClient | undefined {
  const endpoint = options.config.MODAL_OVERLAY_ENDPOINT;
  if (!endpoint) return undefined;
  return new ModalOverlayClient({
    endpoint,
    ...(options.config.MODAL_OVERLAY_TOKEN ? { token: options.config.MODAL_OVERLAY_TOKEN } : {}),
    storage: options.storage,
    ...(options.probe ? { probe: options.probe } : {}),
    ...(options.log ? { log: options.log } : {}),
    pollIntervalMs: options.pollIntervalMs ?? options.config.MODAL_POLL_INTERVAL_MS,
  });
}
