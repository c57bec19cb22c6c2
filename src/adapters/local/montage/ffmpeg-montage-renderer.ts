import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../../logging/logger.js';
import { createLogger } from '../../../logging/logger.js';
import type { MontageRenderer, MontageRequest } from '../../../ports/montage-renderer.js';
import type { VideoResult } from '../../../ports/talking-head-renderer.js';
import { sharedExecutable } from '../binaries/media-binaries.js';
import { buildAssSubtitles, type AssSubtitleOptions } from '../captions/ass-subtitles.js';
import { captionStyleOptions } from '../captions/caption-styles.js';
import { filterValue, runFfmpeg, writeAtomically } from '../ffmpeg/ffmpeg-run.js';
import { FfprobeMediaProbe } from '../probe/ffprobe-probe.js';
import { RenderError } from '../ffmpeg/media-errors.js';
import { h264AacOutputArgs, outputFps, outputHeight, outputWidth } from '../ffmpeg/video-format.js';
import { inspectMontageInputs } from './montage-inputs.js';
import type { Box } from './overlay-placement.js';
import { greenKeyBlend, greenKeySimilarity } from './visible-box.js';
import { videoResultOf } from '../../video-result.js';
import type { FfmpegEncoderOptions } from '../ffmpeg/ffmpeg-encoder-options.js';

export interface FfmpegMontageRendererOptions extends FfmpegEncoderOptions {
  readonly subtitles?: Omit<AssSubtitleOptions, 'width' | 'height' | 'marginBottom'>;
}

export const ffmpegMontageProvider = 'ffmpeg';

/**
 * The final render of the background format on this machine, from an overlay made by an
 * OverlayMatteMaker: the user's clip fills the frame (cropped to 9:16, looped), the overlay is
 * keyed (green screen) or matted (fill + grayscale matte) and placed where `planOverlay` puts the
 * head, word-by-word captions are burned in, and the speech decides the length.
 */
export class FfmpegMontageRenderer implements MontageRenderer {
  readonly provider = ffmpegMontageProvider;
  private readonly logger: Logger;
  private readonly probe: FfprobeMediaProbe;

  constructor(private readonly options: FfmpegMontageRendererOptions = {}) {
    this.logger = options.logger ?? createLogger();
    this.probe = options.probe ?? new FfprobeMediaProbe({ logger: this.logger });
  }

  async render(request: MontageRequest): Promise<VideoResult> {
    const startedAt = performance.now();
    const { signal } = request;
    const ffmpeg = this.options.ffmpegPath ?? (await sharedExecutable('ffmpeg', this.logger)).path;
    const inputs = await inspectMontageInputs(request, {
      ffmpegPath: ffmpeg,
      probe: this.probe,
      signal,
    });
    const { placement, speechSec } = inputs;
    const workDir = await mkdtemp(join(tmpdir(), 'montage-'));
    try {
      const graph: string[] = [
        // Crop to 9:16 before scaling: scaling a landscape clip up to cover 1080×1920 first would
        // make a 3413×1920 frame only to throw two thirds of it away.
        `[0:v]setsar=1,crop='min(iw,ih*9/16)':'min(ih,iw*16/9)',scale=${outputWidth}:${outputHeight},setsar=1,fps=${outputFps},format=yuv420p[bg]`,
      ];
      const { frame, source, target } = placement;
      // The overlay and the fill are brought to the frame size the placement was measured on.
      const toFrame = `scale=${frame.width}:${frame.height},setsar=1`;
      if (request.overlayMode === 'greenscreen') {
        // Key before scaling: scaling first would blend green into the person's edge.
        graph.push(
          `[2:v]${toFrame},${cropTo(source)},colorkey=0x00FF00:${greenKeySimilarity}:${greenKeyBlend},scale=${target.width}:${target.height},format=yuva420p[ov]`,
        );
      } else {
        graph.push(
          `[1:v]${toFrame},${cropTo(source)},scale=${target.width}:${target.height},format=yuv420p[fill]`,
          `[2:v]${toFrame},${cropTo(source)},scale=${target.width}:${target.height},format=gray[matte]`,
          `[fill][matte]alphamerge[ov]`,
        );
      }
      // A shorter overlay holds its last frame rather than vanishing before the speech ends.
      graph.push(
        `[bg][ov]overlay=x=${target.x}:y=${target.y}:format=yuv420:eof_action=repeat[composed]`,
      );
      if (request.words.length > 0) {
        const assPath = join(workDir, 'captions.ass');
        await writeFile(
          assPath,
          buildAssSubtitles(request.words, {
            ...captionStyleOptions(request.captionStyle ?? 'classic'),
            ...this.options.subtitles,
            width: outputWidth,
            height: outputHeight,
            marginBottom: placement.captionMarginBottom,
          }),
        );
        graph.push(`[composed]ass=filename=${filterValue(assPath)}[v]`);
      } else {
        graph.push('[composed]null[v]');
      }

      const preset = this.options.preset ?? 'veryfast';
      await writeAtomically(request.outputPath, (partial) =>
        runFfmpeg(
          ffmpeg,
          'montage',
          [
            // Loop the background forever; `-t` cuts everything at the speech's end.
            '-stream_loop',
            '-1',
            '-i',
            request.backgroundPath,
            '-i',
            request.talkingHeadPath,
            '-i',
            request.overlayPath,
            '-filter_complex',
            graph.join(';'),
            '-map',
            '[v]',
            '-map',
            `1:${inputs.speechStreamIndex}`,
            ...h264AacOutputArgs({ preset, crf: this.options.crf ?? 23 }),
            '-t',
            speechSec.toFixed(3),
            '-y',
            partial,
          ],
          { signal, timeoutMs: this.options.timeoutMs },
        ),
      );
      const rendered = await this.probe.probe(request.outputPath, signal);
      if (!rendered.video || !rendered.audio)
        throw new RenderError('montage', 'the rendered file lacks a video or an audio stream');
      const { size } = await stat(request.outputPath);
      this.logger.info(
        {
          stage: 'montage',
          provider: this.provider,
          shape: request.shape,
          overlayMode: request.overlayMode,
          words: request.words.length,
          preset,
          speechDurationSec: speechSec,
          durationSec: rendered.durationSec,
          bytes: size,
          costUsd: 0,
          elapsedMs: Math.round(performance.now() - startedAt),
        },
        'montage rendered',
      );
      // The montage cannot tell whether the head moves its lips; the talking head's own result
      // says.
      return videoResultOf(request.outputPath, rendered, size, this.provider, {
        lipSync: false,
        costUsd: 0,
      });
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }
}

function cropTo(box: Box): string {
  return `crop=${box.width}:${box.height}:${box.x}:${box.y}`;
}
