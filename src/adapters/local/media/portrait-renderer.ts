import { stat } from 'node:fs/promises';
import type { Logger } from '../../../logging/logger.js';
import { createLogger } from '../../../logging/logger.js';
import type { TalkingHeadRenderer, TalkingHeadRequest, VideoResult } from '../../../ports/talking-head-renderer.js';
import { sharedExecutable } from '../binaries/media-binaries.js';
import { FfprobeMediaProbe } from './ffprobe-probe.js';
import { runFfmpeg, writeAtomically, type X264Preset } from './ffmpeg-run.js';
import { RenderError } from './media-errors.js';
import { buildPortraitGraph } from './portrait-graph.js';
import { h264AacOutputArgs } from './video-format.js';
import { videoResultOf } from '../../video-result.js';

export interface PortraitRendererOptions {
  /** Defaults to the shared resolution (FFMPEG_PATH → PATH → npm). */
  readonly ffmpegPath?: string;
  /** Reads the portrait's size and the speech's length; defaults to one using FFPROBE_PATH → PATH → npm. */
  readonly probe?: FfprobeMediaProbe;
  readonly logger?: Logger;
  /** x264 speed/size trade-off; veryfast renders 10 s in about 5 s on two cores. */
  readonly preset?: X264Preset;
  readonly crf?: number;
  /** Draw the speech-level glow bar (default true). */
  readonly levelBar?: boolean;
  readonly timeoutMs?: number;
}

export const localPortraitProvider = 'local-portrait';

/**
 * The offline talking head: the portrait with a slow camera move, a breathing scale and a glow
 * that follows the voice. The mouth does not move, and the result says so (`lipSync: false`).
 * There is no remote job, so `resumeRequestId` is ignored and `onSubmitted` is never called:
 * re-rendering after a restart costs seconds and nothing else.
 */
export class LocalPortraitRenderer implements TalkingHeadRenderer {
  readonly provider = localPortraitProvider;
  private readonly logger: Logger;
  private readonly probe: FfprobeMediaProbe;

  constructor(private readonly options: PortraitRendererOptions = {}) {
    this.logger = options.logger ?? createLogger();
    this.probe = options.probe ?? new FfprobeMediaProbe({ logger: this.logger });
  }

  async render(request: TalkingHeadRequest): Promise<VideoResult> {
    const startedAt = performance.now();
    const [image, audio] = await Promise.all([this.probe.probe(request.imagePath, request.signal), this.probe.probe(request.audioPath, request.signal)]);
    if (!image.video || image.video.width <= 0 || image.video.height <= 0) {
      throw new RenderError('portrait', `${request.imagePath} is not an image`);
    }
    if (!audio.audio || !(audio.durationSec > 0)) throw new RenderError('portrait', `${request.audioPath} has no audio`);
    const durationSec = audio.durationSec;
    const graph = buildPortraitGraph({
      imageWidth: image.video.width,
      imageHeight: image.video.height,
      durationSec,
      levelBar: this.options.levelBar ?? true,
    });
    const ffmpeg = this.options.ffmpegPath ?? (await sharedExecutable('ffmpeg', this.logger)).path;
    // An intermediate clip is decoded once by the compositor and encoded again: ultrafast at a low
    // CRF costs about half the CPU of veryfast and loses nothing the second encode would keep.
    const intermediate = request.purpose === 'intermediate';
    const preset = intermediate ? 'ultrafast' : (this.options.preset ?? 'veryfast');
    const crf = intermediate ? 16 : (this.options.crf ?? 23);
    await writeAtomically(request.outputPath, (partial) =>
      runFfmpeg(
        ffmpeg,
        'portrait',
        [
          // One decoded frame at 30 fps; the graph loops it, so the image is decoded once.
          // `-pattern_type none`: a "%" in the file name is not a frame-number pattern.
          '-f', 'image2', '-pattern_type', 'none', '-framerate', '30', '-i', request.imagePath,
          '-i', request.audioPath,
          '-filter_complex', graph,
          '-map', '[v]', '-map', '1:a:0',
          ...h264AacOutputArgs({ preset, crf }),
          '-t', durationSec.toFixed(3),
          '-shortest',
          '-y', partial,
        ],
        { signal: request.signal, timeoutMs: this.options.timeoutMs },
      ),
    );
    const rendered = await this.probe.probe(request.outputPath, request.signal);
    const { size } = await stat(request.outputPath);
    const result: VideoResult = videoResultOf(request.outputPath, rendered, size, this.provider, { lipSync: false });
    this.logger.info(
      {
        stage: 'video',
        provider: this.provider,
        preset,
        audioDurationSec: durationSec,
        durationSec: result.durationSec,
        sizeBytes: size,
        renderMs: Math.round(performance.now() - startedAt),
      },
      'talking head rendered locally (no lip-sync)',
    );
    return result;
  }
}
