import type { Logger } from '../../../logging/logger.js';
import type { X264Preset } from './ffmpeg-run.js';
import type { FfprobeMediaProbe } from '../probe/ffprobe-probe.js';

/** What every local adapter that encodes a video with ffmpeg can be given; each has a default. */
export interface FfmpegEncoderOptions {
  /** Defaults to the shared resolution (FFMPEG_PATH → PATH → npm). */
  readonly ffmpegPath?: string;
  readonly probe?: FfprobeMediaProbe;
  readonly logger?: Logger;
  readonly preset?: X264Preset;
  readonly crf?: number;
  readonly timeoutMs?: number;
}
