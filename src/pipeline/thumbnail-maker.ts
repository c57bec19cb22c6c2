import { stat } from 'node:fs/promises';
import { sharedExecutable } from '../adapters/local/binaries/media-binaries.js';
import { runBinary } from '../adapters/local/binaries/run-binary.js';
import type { Logger } from '../logging/logger.js';

/** Makes the cover image `sendVideo` shows before the video plays. */
export interface ThumbnailMaker {
  /** Writes a JPEG to `outputPath`; may throw, the video is then sent without a cover. */
  extract(
    videoPath: string,
    outputPath: string,
    durationSec: number,
    signal?: AbortSignal,
  ): Promise<string>;
}

/**
 * ffmpeg grabs one frame (a second in, or the middle of a shorter clip) and scales it into
 * Telegram's thumbnail limits: JPEG, at most 320 px a side, well under 200 kB.
 */
export class FfmpegThumbnailMaker implements ThumbnailMaker {
  constructor(
    private readonly options: { readonly ffmpegPath?: string; readonly logger?: Logger } = {},
  ) {}

  async extract(
    videoPath: string,
    outputPath: string,
    durationSec: number,
    signal?: AbortSignal,
  ): Promise<string> {
    const ffmpeg =
      this.options.ffmpegPath ?? (await sharedExecutable('ffmpeg', this.options.logger)).path;
    const atSec = Math.max(0, Math.min(1, durationSec / 2));
    await runBinary(
      ffmpeg,
      [
        '-nostdin',
        '-hide_banner',
        '-v',
        'error',
        '-y',
        '-ss',
        atSec.toFixed(3),
        '-i',
        videoPath,
        '-frames:v',
        '1',
        '-vf',
        'scale=320:320:force_original_aspect_ratio=decrease',
        '-q:v',
        '5',
        outputPath,
      ],
      { signal, timeoutMs: 30_000 },
    );
    const { size } = await stat(outputPath);
    if (size === 0) throw new Error(`ffmpeg wrote an empty thumbnail for ${videoPath}`);
    return outputPath;
  }
}
