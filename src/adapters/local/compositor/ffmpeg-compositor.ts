import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../../logging/logger.js';
import { createLogger } from '../../../logging/logger.js';
import type { CompositeRequest, Compositor } from '../../../ports/compositor.js';
import type { VideoResult } from '../../../ports/talking-head-renderer.js';
import { sharedExecutable } from '../binaries/media-binaries.js';
import { buildAssSubtitles, type AssSubtitleOptions } from '../captions/ass-subtitles.js';
import { captionStyleOptions } from '../captions/caption-styles.js';
import { ColorKeySegmenter } from '../segmentation/color-key-segmenter.js';
import { FfprobeMediaProbe } from '../probe/ffprobe-probe.js';
import { runFfmpegWithPipe } from '../ffmpeg/ffmpeg-piped.js';
import { filterValue, runFfmpeg, writeAtomically, type X264Preset } from '../ffmpeg/ffmpeg-run.js';
import { RenderError } from '../ffmpeg/media-errors.js';
import { planOverlay, type OverlayPlan } from './overlay-layout.js';
import type { Segmenter } from '../segmentation/segmenter.js';
import { ensureMask, type MaskSpec } from './shape-masks.js';
import { h264AacOutputArgs, outputFps, outputHeight, outputWidth } from '../ffmpeg/video-format.js';
import { rawPipeProbe } from './raw-pipe-probe.js';
import { videoResultOf } from '../../video-result.js';

export interface FfmpegCompositorOptions {
  /** Defaults to the shared resolution (FFMPEG_PATH → PATH → npm). */
  readonly ffmpegPath?: string;
  readonly probe?: FfprobeMediaProbe;
  /** Cuts the person out for the `cutout` shape; defaults to the colour key. */
  readonly segmenter?: Segmenter;
  readonly logger?: Logger;
  /** Where shape masks are cached between composites (default: the OS temp dir). */
  readonly maskDir?: string;
  readonly preset?: X264Preset;
  /**
   * Preset when the cut-out's masks are computed during the encode (a `mask-stream` matte): the
   * tracker needs part of the two cores, so the encoder gives up some compression for speed.
   */
  readonly streamedMattePreset?: X264Preset;
  readonly crf?: number;
  readonly subtitles?: Omit<AssSubtitleOptions, 'width' | 'height' | 'marginBottom'>;
  readonly timeoutMs?: number;
}

export const localFfmpegCompositorProvider = 'local-ffmpeg';

/**
 * The background format, offline: the user's clip fills the frame (cropped to 9:16, looped if
 * shorter than the speech), the talking head sits on it in a circle, a rounded rectangle or cut
 * out of its backdrop, and word-by-word captions are burned in. The speech is the talking head's
 * own audio and the output stops with it.
 */
export class FfmpegCompositor implements Compositor {
  readonly provider = localFfmpegCompositorProvider;
  private readonly logger: Logger;
  private readonly probe: FfprobeMediaProbe;
  private readonly segmenter: Segmenter;
  private readonly maskDir: string;

  constructor(private readonly options: FfmpegCompositorOptions = {}) {
    this.logger = options.logger ?? createLogger();
    this.probe = options.probe ?? new FfprobeMediaProbe({ logger: this.logger });
    this.segmenter =
      options.segmenter ??
      new ColorKeySegmenter({ ffmpegPath: options.ffmpegPath, logger: this.logger });
    this.maskDir = options.maskDir ?? join(tmpdir(), 'ugc-studio-masks');
  }

  async composite(request: CompositeRequest): Promise<VideoResult> {
    const startedAt = performance.now();
    const { signal } = request;
    const [background, head] = await Promise.all([
      this.probe.probeRaw(request.backgroundPath, signal),
      this.probe.probeRaw(request.talkingHeadPath, signal),
    ]);
    if (!background.streams.some((s) => s.codec_type === 'video'))
      throw new RenderError('composite', 'the background has no video stream', {
        kind: 'invalid_request',
      });
    if (!head.streams.some((s) => s.codec_type === 'video'))
      throw new RenderError('composite', 'the talking head has no video stream', {
        kind: 'invalid_request',
      });
    const speech = head.streams.find((s) => s.codec_type === 'audio');
    if (!speech)
      throw new RenderError('composite', 'the talking head has no audio (the speech)', {
        kind: 'invalid_request',
      });
    // The speech decides the length: the audio stream's own duration, not the container's, which
    // may include a longer video track.
    const durationSec = speech.duration ?? head.format.duration ?? 0;
    if (!(durationSec > 0))
      throw new RenderError('composite', 'the talking head has no measurable speech duration', {
        kind: 'invalid_request',
      });

    const headVideo = head.streams.find((s) => s.codec_type === 'video')!;
    const ffmpeg = this.options.ffmpegPath ?? (await sharedExecutable('ffmpeg', this.logger)).path;
    const workDir = await mkdtemp(join(tmpdir(), 'composite-'));
    try {
      // The segmenter runs for every shape: the cut-out needs its matte, the circle and the
      // rectangle use the subject box it finds to frame the face.
      const headSize = {
        width: headVideo.width ?? outputWidth,
        height: headVideo.height ?? outputHeight,
      };
      // The cut-out's size does not depend on where the person is, so the segmenter can be asked
      // for the head frames at that size before it has looked.
      const cutoutSize = request.shape === 'cutout' ? planOverlay('cutout', headSize) : undefined;
      const matte = await this.segmenter.matte({
        videoPath: request.talkingHeadPath,
        workDir,
        purpose: request.shape === 'cutout' ? 'cutout' : 'framing',
        ...(cutoutSize
          ? { headFrames: { width: cutoutSize.width, height: cutoutSize.height } }
          : {}),
        signal,
      });
      const plan = planOverlay(request.shape, headSize, matte.subject);
      const prepared = performance.now();
      const inputs: string[] = [
        // Loop the background forever; `-t` below cuts everything at the speech's end.
        '-stream_loop',
        '-1',
        '-i',
        request.backgroundPath,
        '-i',
        request.talkingHeadPath,
      ];
      const graph: string[] = [
        // Crop to 9:16 first, then scale: scaling a landscape clip to cover 1080×1920 first would
        // make a 3413×1920 frame only to throw two thirds of it away.
        `[0:v]setsar=1,crop='min(iw,ih*9/16)':'min(ih,iw*16/9)',scale=${outputWidth}:${outputHeight},setsar=1,fps=${outputFps},format=yuv420p[bg]`,
      ];
      let nextInput = 2;
      let pipedHead = false;
      if (request.shape === 'cutout') {
        const scale = `scale=${plan.width}:${plan.height},setsar=1`;
        if (matte.kind === 'filter') {
          graph.push(`[1:v]${scale},${matte.filter},format=yuva420p[head]`);
        } else if (matte.kind === 'mask-stream') {
          // Raw gray8 masks from this process on fd 3, one per head frame. A model's coverage can
          // sit between 0.2 and 0.5 on clothing it is unsure of; a steep curve around one half
          // keeps
          // such parts from showing as a see-through ghost, and the bilinear upscale feathers the
          // edge.
          const frames = matte.headFrames;
          if (frames && frames.width === plan.width && frames.height === plan.height) {
            // The head's frames come from the segmenter's own decode, already at the cut-out's
            // size.
            // Opened before the masks: that decode may write a head frame before the tracker's
            // frame that the first mask needs, so ffmpeg must be reading the head pipe by then.
            inputs.push(
              ...rawPipeProbe,
              '-f',
              'rawvideo',
              '-pix_fmt',
              'yuv420p',
              '-video_size',
              `${frames.width}x${frames.height}`,
              '-framerate',
              String(outputFps),
              '-i',
              'pipe:4',
            );
            graph.push(`[${nextInput++}:v]setsar=1[headrgb]`);
            pipedHead = true;
          } else {
            // Bilinear, not the default bicubic: the head is scaled down by a third, where the two
            // look
            // alike, and the saved CPU goes to the mask tracker running beside the encoder.
            graph.push(
              `[1:v]scale=${plan.width}:${plan.height}:flags=bilinear,setsar=1,format=yuv420p[headrgb]`,
            );
          }
          inputs.push(
            ...rawPipeProbe,
            '-f',
            'rawvideo',
            '-pix_fmt',
            'gray',
            '-video_size',
            `${matte.width}x${matte.height}`,
            '-framerate',
            String(outputFps),
            '-i',
            'pipe:3',
          );
          const maskInput = nextInput++;
          graph.push(
            `[${maskInput}:v]lut=y='clip((val-128)*3+128\\,0\\,255)',scale=${plan.width}:${plan.height}:flags=bilinear,setsar=1,format=gray[matte]`,
            `[headrgb][matte]alphamerge[head]`,
          );
        } else {
          inputs.push('-i', matte.path);
          graph.push(
            `[1:v]${scale},format=yuv420p[headrgb]`,
            `[${nextInput}:v]${scale},format=gray[matte]`,
            `[headrgb][matte]alphamerge[head]`,
          );
          nextInput++;
        }
      } else {
        const shapeSpec: MaskSpec = {
          shape: request.shape,
          width: plan.width,
          height: plan.height,
          radius: plan.radius,
        };
        const mask = await ensureMask(ffmpeg, this.maskDir, shapeSpec);
        // A single-frame input, repeated by `loop` inside the graph: decoded once, not per frame.
        inputs.push('-i', mask);
        graph.push(
          `[1:v]${cropFilter(plan)}scale=${plan.width}:${plan.height},setsar=1,format=yuv420p[headrgb]`,
        );
        graph.push(`[${nextInput}:v]format=gray,loop=loop=-1:size=1:start=0[mask]`);
        graph.push(`[headrgb][mask]alphamerge[shaped]`);
        nextInput++;
        if (plan.ringWidth > 0) {
          const ring = await ensureMask(ffmpeg, this.maskDir, {
            ...shapeSpec,
            ring: plan.ringWidth,
          });
          inputs.push('-i', ring);
          graph.push(`[${nextInput}:v]format=gray,loop=loop=-1:size=1:start=0[ringalpha]`);
          graph.push(
            `color=c=white@1:s=${plan.width}x${plan.height}:r=${outputFps},format=yuv420p[ringcolor]`,
          );
          graph.push(`[ringcolor][ringalpha]alphamerge,colorchannelmixer=aa=0.9[ring]`);
          graph.push(`[shaped][ring]overlay=format=yuv420:shortest=1,format=yuva420p[head]`);
          nextInput++;
        } else {
          graph.push(`[shaped]null[head]`);
        }
      }
      graph.push(
        `[bg][head]overlay=x=${plan.x}:y=${plan.y}:format=yuv420:eof_action=repeat[composed]`,
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
            marginBottom: plan.captionMarginBottom,
          }),
        );
        graph.push(`[composed]ass=filename=${filterValue(assPath)}[v]`);
      } else {
        graph.push(`[composed]null[v]`);
      }

      const preset =
        matte.kind === 'mask-stream' && request.shape === 'cutout'
          ? (this.options.streamedMattePreset ?? 'ultrafast')
          : (this.options.preset ?? 'veryfast');
      const args = (partial: string) => [
        ...inputs,
        '-filter_complex',
        graph.join(';'),
        '-map',
        '[v]',
        '-map',
        `1:${head.streams.indexOf(speech)}`,
        ...h264AacOutputArgs({
          preset,
          crf: this.options.crf ?? 23,
          copyAudio: speech.codec_name === 'aac' && speech.sample_rate === 44100,
        }),
        '-t',
        durationSec.toFixed(3),
        '-y',
        partial,
      ];
      await writeAtomically(request.outputPath, (partial) =>
        matte.kind === 'mask-stream'
          ? runFfmpegWithPipe(
              ffmpeg,
              'composite',
              args(partial),
              ([masks, head], pipeSignal) =>
                matte.pipe(masks!, pipeSignal, pipedHead ? head : undefined),
              {
                signal,
                timeoutMs: this.options.timeoutMs,
                pipes: pipedHead ? 2 : 1,
              },
            )
          : runFfmpeg(ffmpeg, 'composite', args(partial), {
              signal,
              timeoutMs: this.options.timeoutMs,
            }).then(() => undefined),
      );
      const rendered = await this.probe.probe(request.outputPath, signal);
      const { size } = await stat(request.outputPath);
      this.logger.info(
        {
          stage: 'montage',
          provider: this.provider,
          shape: request.shape,
          matte: matte.description,
          subject: matte.subject,
          words: request.words.length,
          preset,
          speechDurationSec: durationSec,
          durationSec: rendered.durationSec,
          sizeBytes: size,
          prepareMs: Math.round(prepared - startedAt),
          renderMs: Math.round(performance.now() - prepared),
          totalMs: Math.round(performance.now() - startedAt),
        },
        'composite rendered',
      );
      // The compositor cannot tell whether the head it was given moves its lips; whoever made the
      // talking head knows, and its VideoResult is the one to trust for that.
      return videoResultOf(request.outputPath, rendered, size, this.provider, { lipSync: false });
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }
}

function cropFilter(plan: OverlayPlan): string {
  const crop = plan.crop;
  return crop ? `crop=${crop.width}:${crop.height}:${crop.x}:${crop.y},` : '';
}
