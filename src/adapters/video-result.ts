import type { MediaInfo } from '../ports/media-probe.js';
import type { VideoResult } from '../ports/talking-head-renderer.js';

/**
 * The result every renderer reports for the file it wrote, from that file's probe: what the user
 * will receive is described by the file itself, never by what was asked for.
 */
export function videoResultOf(
  path: string,
  probed: MediaInfo,
  sizeBytes: number,
  provider: string,
  extra: { readonly lipSync: boolean; readonly costUsd?: number },
): VideoResult {
  return {
    path,
    durationSec: probed.durationSec,
    width: probed.video?.width ?? 0,
    height: probed.video?.height ?? 0,
    sizeBytes,
    provider,
    lipSync: extra.lipSync,
    ...(extra.costUsd !== undefined ? { costUsd: extra.costUsd } : {}),
  };
}
