import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { Logger } from '../../../logging/logger.js';
import { createLogger } from '../../../logging/logger.js';
import type {
  MatteRequest,
  MatteResult,
  OverlayMatteMaker,
} from '../../../ports/overlay-matte-maker.js';
import { ffmpegCapabilities } from '../binaries/ffmpeg-capabilities.js';
import { sharedExecutable } from '../binaries/media-binaries.js';
import { ColorKeySegmenter } from '../segmentation/color-key-segmenter.js';
import { runFfmpeg, writeAtomically, type X264Preset } from '../ffmpeg/ffmpeg-run.js';
import { runFfmpegWithPipe } from '../ffmpeg/ffmpeg-piped.js';
import { FfprobeMediaProbe } from '../probe/ffprobe-probe.js';
import { parseFrameRate } from '../probe/ffprobe-output.js';
import { RenderError } from '../ffmpeg/media-errors.js';
import type { Segmenter } from '../segmentation/segmenter.js';
import { ensureMask } from '../compositor/shape-masks.js';
import { rawPipeProbe } from '../compositor/raw-pipe-probe.js';
import { shapeBox } from './overlay-shape-geometry.js';

export interface LocalMatteMakerOptions {
  /** Cuts the person out for `cutout`; defaults to the colour key (plain backdrops only). */
  readonly segmenter?: Segmenter;
  /** Defaults to the shared resolution (FFMPEG_PATH → PATH → npm). */
  readonly ffmpegPath?: string;
  readonly probe?: FfprobeMediaProbe;
  readonly logger?: Logger;
  /** Where shape masks are cached between runs (default: the OS temp dir). */
  readonly maskDir?: string;
  readonly preset?: X264Preset;
  readonly crf?: number;
  readonly timeoutMs?: number;
}

export const localMatteProvider = 'ffmpeg';

/** A segmenter's streamed masks (the `mask-stream` Matte): gray8 frames of width × height. */
interface MaskStream {
  readonly width: number;
  readonly height: number;
  pipe(sink: Writable, signal?: AbortSignal): Promise<void>;
}

/**
 * The keyless overlay: the same green-screen or matte MP4 as the Modal service, made by ffmpeg
 * on this machine. The circle and the rectangle are a fixed mask at the shared geometry; the
 * cut-out is whatever the segmenter gives (a filter that sets alpha, or a mask video).
 * There is no remote job, so a resumed request simply runs again.
 */
export class LocalMatteMaker implements OverlayMatteMaker {
  readonly provider = localMatteProvider;
  private readonly logger: Logger;
  private readonly probe: FfprobeMediaProbe;
  private readonly segmenter: Segmenter;
  private readonly maskDir: string;

  constructor(private readonly options: LocalMatteMakerOptions = {}) {
    this.logger = options.logger ?? createLogger();
    this.probe = options.probe ?? new FfprobeMediaProbe({ logger: this.logger });
    this.segmenter =
      options.segmenter ??
      new ColorKeySegmenter({ ffmpegPath: options.ffmpegPath, logger: this.logger });
    this.maskDir = options.maskDir ?? join(tmpdir(), 'ugc-studio-masks');
  }

  async makeMatte(request: MatteRequest): Promise<MatteResult> {
    const startedAt = performance.now();
    const { signal } = request;
    await request.onSubmitted?.(request.resumeRequestId ?? `local-${randomUUID()}`);
    signal?.throwIfAborted();
    const head = await this.probe.probeRaw(request.talkingHeadPath, signal);
    const video = head.streams.find((s) => s.codec_type === 'video');
    if (!video?.width || !video.height)
      throw new RenderError('overlay', 'the talking head has no video stream', {
        kind: 'invalid_request',
      });
    const hasAudio = head.streams.some((s) => s.codec_type === 'audio');
    const { width, height } = video;
    const ffmpeg = this.options.ffmpegPath ?? (await sharedExecutable('ffmpeg', this.logger)).path;
    const merge = await alphamergeToMainEnd(ffmpeg, this.logger);
    const workDir = await mkdtemp(join(tmpdir(), 'matte-'));
    try {
      const inputs = ['-i', request.talkingHeadPath];
      const graph: string[] = [];
      const green = request.mode === 'greenscreen';
      graph.push(green ? '[0:v]split=2[head][greenbase]' : '[0:v]null[head]');
      let description: string;
      let feed: MaskStream['pipe'] | undefined;
      if (request.shape === 'cutout') {
        const matte = await this.segmenter.matte({
          videoPath: request.talkingHeadPath,
          workDir,
          signal,
        });
        description = matte.description;
        if (matte.kind === 'filter') {
          graph.push(`[head]${matte.filter}[alpha]`);
        } else if ('path' in matte) {
          inputs.push('-i', matte.path);
          graph.push(
            `[1:v]scale=${width}:${height},format=gray[mask]`,
            `[head][mask]${merge}[alpha]`,
          );
        } else {
          // Gray masks made while ffmpeg encodes, one per head frame, at the segmenter's size.
          const stream = matte as unknown as MaskStream;
          const rate =
            video.avg_frame_rate && video.avg_frame_rate !== '0/0'
              ? video.avg_frame_rate
              : (video.r_frame_rate ?? '25');
          inputs.push(
            ...rawPipeProbe,
            '-f',
            'rawvideo',
            '-pix_fmt',
            'gray',
            '-video_size',
            `${stream.width}x${stream.height}`,
            '-framerate',
            rate,
            '-i',
            'pipe:3',
          );
          graph.push(
            `[1:v]scale=${width}:${height}:flags=bilinear,format=gray[mask]`,
            `[head][mask]${merge}[alpha]`,
          );
          feed = (sink, pipeSignal) => stream.pipe(sink, pipeSignal);
        }
      } else {
        const box = shapeBox(request.shape, width, height);
        description = `${request.shape} ${box.width}x${box.height}+${box.x}+${box.y}`;
        const mask = await ensureMask(ffmpeg, this.maskDir, {
          shape: request.shape,
          width: box.width,
          height: box.height,
          radius: box.radius,
        });
        inputs.push('-i', mask);
        // The shape's mask is decoded once and repeated by `loop`, never drawn per frame. It is
        // padded in RGB: padding a gray frame paints video-range black (16), a faint alpha.
        graph.push(
          `[1:v]format=rgb24,pad=${width}:${height}:${box.x}:${box.y}:color=black,format=gray,loop=loop=-1:size=1:start=0[mask]`,
          `[head][mask]${merge}[alpha]`,
        );
      }
      if (green) {
        // The backdrop is the head's own frames painted green, so both inputs of the overlay
        // carry identical timestamps and the output keeps every input frame.
        graph.push(
          '[greenbase]drawbox=x=0:y=0:w=iw:h=ih:color=0x00FF00@1:t=fill[backdrop]',
          '[backdrop][alpha]overlay=format=auto,format=yuv420p[v]',
        );
      } else {
        graph.push('[alpha]format=rgba,alphaextract,format=gray[v]');
      }
      signal?.throwIfAborted();
      const args = (partial: string) => [
        ...inputs,
        '-filter_complex',
        graph.join(';'),
        '-map',
        '[v]',
        ...(green && hasAudio ? ['-map', '0:a:0', '-c:a', 'aac', '-b:a', '160k'] : ['-an']),
        '-c:v',
        'libx264',
        '-preset',
        this.options.preset ?? 'veryfast',
        '-crf',
        String(this.options.crf ?? 18),
        '-pix_fmt',
        'yuv420p',
        '-movflags',
        '+faststart',
        '-f',
        'mp4',
        '-y',
        partial,
      ];
      const timing = { signal, timeoutMs: this.options.timeoutMs };
      await writeAtomically(request.outputPath, async (partial) => {
        if (feed)
          await runFfmpegWithPipe(
            ffmpeg,
            'overlay',
            args(partial),
            ([masks], pipeSignal) => feed(masks!, pipeSignal),
            { ...timing, timeoutMs: timing.timeoutMs ?? 300_000 },
          );
        else await runFfmpeg(ffmpeg, 'overlay', args(partial), timing);
      });
      const result = await this.describe(request, signal);
      this.logger.info(
        {
          stage: 'overlay',
          provider: this.provider,
          shape: request.shape,
          mode: request.mode,
          matte: description,
          frames: result.frames,
          durationSec: result.durationSec,
          bytes: result.sizeBytes,
          elapsedMs: Math.round(performance.now() - startedAt),
        },
        'overlay made locally',
      );
      return result;
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }

  private async describe(request: MatteRequest, signal?: AbortSignal): Promise<MatteResult> {
    const output = await this.probe.probeRaw(request.outputPath, signal);
    const video = output.streams.find((s) => s.codec_type === 'video');
    const { size } = await stat(request.outputPath);
    const fps = parseFrameRate(video?.avg_frame_rate) || parseFrameRate(video?.r_frame_rate);
    const durationSec = output.format.duration ?? video?.duration ?? 0;
    return {
      path: request.outputPath,
      mode: request.mode,
      width: video?.width ?? 0,
      height: video?.height ?? 0,
      durationSec,
      frames: video?.nb_frames ?? Math.round((video?.duration ?? durationSec) * fps),
      sizeBytes: size,
      provider: this.provider,
      costUsd: 0,
    };
  }
}

/**
 * `alphamerge` that ends with the head even though the mask input (a looped still) never ends.
 * Newer ffmpeg's alphamerge waits for both inputs unless told `shortest=1`; older builds (the npm
 * 4.1) take no options and always end with their first input, which is what is wanted here.
 */
async function alphamergeToMainEnd(ffmpeg: string, logger: Logger): Promise<string> {
  const capabilities = await ffmpegCapabilities(ffmpeg, logger);
  if (await capabilities.filterHasOption('alphamerge', 'shortest')) return 'alphamerge=shortest=1';
  capabilities.noteFallback(
    'alphamerge=shortest',
    'alphamerge, which in this build ends with its first input',
  );
  return 'alphamerge';
}
