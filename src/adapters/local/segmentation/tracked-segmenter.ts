import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { Logger } from '../../../logging/logger.js';
import { createLogger } from '../../../logging/logger.js';
import { sharedExecutable } from '../binaries/media-binaries.js';
import { IsnetModel, isnetSize, resizePlane, type IsnetVariant } from './isnet-model.js';
import { MaskTracker } from './mask-tracker.js';
import { SharedModel } from './shared-model.js';
import { colourKeyMask, completeOnPlainBackdrop } from './plain-backdrop-reference.js';
import { rawFrames } from './raw-frames.js';
import {
  ColorKeySegmenter,
  estimateBackdrop,
  findSubject,
  maxPlainUnevenness,
  type BackdropEstimate,
} from './color-key-segmenter.js';
import { runFfmpeg } from '../ffmpeg/ffmpeg-run.js';
import type { Matte, SegmentationRequest, Segmenter } from './segmenter.js';
import { outputFps } from '../ffmpeg/video-format.js';

export interface TrackedSegmenterOptions {
  readonly ffmpegPath?: string;
  readonly logger?: Logger;
  /** Where reference masks are kept, keyed by the reference frame's content. */
  readonly cacheDir?: string;
  /** Mask size; the compositor scales it up to the cut-out's size. */
  readonly width?: number;
  readonly height?: number;
  readonly model?: IsnetVariant;
  /** Where the reference mask comes from; `colour-key` skips the model (tests, plain backdrops). */
  readonly reference?: 'isnet' | 'colour-key';
  /** Sees every mask as it is made (the render bench compares them with ISNet's). */
  readonly onMask?: (frame: number, mask: Uint8Array) => void;
}

/**
 * The tracker's working size unless told otherwise; the compositor scales its masks up. At
 * 216×384 the tracker costs two thirds of what it did at 270×480, and its masks, compared with
 * ISNet's at 270×480, score the same IoU to within 0.002 (`bench:render --track`).
 */
export const trackedMaskSize = { width: 216, height: 384 } as const;

// One model per variant for the whole process, loaded when a new character needs it (about a
// second) and released a minute after the last use (it holds about a gigabyte once it has run).
const sharedModels = new Map<IsnetVariant, SharedModel<IsnetModel>>();
const sharedModel = (variant: IsnetVariant) => {
  let shared = sharedModels.get(variant);
  if (!shared) {
    // A model that has not answered in 90 s (a starved CPU, a stuck native call) is given up on:
    // the reference mask then comes from the colour key, within the overlay stage's deadline.
    shared = new SharedModel(() => IsnetModel.load(variant), 60_000, 90_000);
    sharedModels.set(variant, shared);
  }
  return shared;
};

/**
 * The fast cut-out for talking heads made from one still: ISNet once on the first frame (cached
 * by content, so a character's portrait is segmented once), then a `MaskTracker` carries that
 * mask along the camera's motion and re-decides what changed, at 216×384, while ffmpeg decodes
 * ahead and the encoder consumes the masks through a pipe. On a plain backdrop the model's mask
 * is completed by the colour key (ISNet drops the flat-drawn clothes of illustrated characters).
 * Without the model packages the reference comes from the colour key alone.
 */
export class TrackedSegmenter implements Segmenter {
  readonly name = 'tracked-isnet';
  private readonly logger: Logger;
  private readonly width: number;
  private readonly height: number;
  private readonly cacheDir: string;

  constructor(private readonly options: TrackedSegmenterOptions = {}) {
    this.logger = options.logger ?? createLogger();
    this.width = options.width ?? trackedMaskSize.width;
    this.height = options.height ?? trackedMaskSize.height;
    this.cacheDir = options.cacheDir ?? join(tmpdir(), 'ugc-studio-masks', 'reference');
  }

  async matte(request: SegmentationRequest): Promise<Matte> {
    const ffmpeg = this.options.ffmpegPath ?? (await sharedExecutable('ffmpeg', this.logger)).path;
    const { width, height } = this;
    const startedAt = performance.now();
    const first = await runFfmpeg(
      ffmpeg,
      'segment',
      [
        '-i',
        request.videoPath,
        '-frames:v',
        '1',
        '-vf',
        `scale=${width}:${height}:flags=area`,
        '-f',
        'rawvideo',
        '-pix_fmt',
        'rgb24',
        'pipe:1',
      ],
      { signal: request.signal, timeoutMs: 60_000 },
    );
    // The circle and the rectangle need only the subject box: the colour key's, as before.
    if (request.purpose === 'framing')
      return new ColorKeySegmenter({ ffmpegPath: ffmpeg, logger: this.logger }).matte(request);
    const backdrop = estimateBackdrop(first, width, height);
    const plain = backdrop.unevenness <= maxPlainUnevenness;
    // Above the limit the backdrop is not plain and its subject box would be noise.
    const subject = plain ? findSubject(first, width, height, backdrop) : undefined;
    const model = await this.referenceMask(ffmpeg, request, new Uint8Array(first), backdrop);
    const completed =
      model.source === 'colour-key'
        ? model.mask
        : completeOnPlainBackdrop(model.mask, new Uint8Array(first), width, height, backdrop);
    const reference =
      completed === model.mask
        ? model
        : { mask: completed, source: `${model.source} completed by the colour key` };
    this.logger.info(
      {
        stage: 'overlay',
        segmenter: this.name,
        source: reference.source,
        elapsedMs: Math.round(performance.now() - startedAt),
      },
      'reference mask ready',
    );
    const onMask = this.options.onMask;
    return {
      kind: 'mask-stream',
      width,
      height,
      description: `tracked ${reference.source} mask ${width}x${height}`,
      ...(subject ? { subject } : {}),
      ...(request.headFrames ? { headFrames: request.headFrames } : {}),
      pipe: async (sink: Writable, signal?: AbortSignal, head?: Writable) => {
        const tracker = new MaskTracker({
          width,
          height,
          rgb: new Uint8Array(first),
          mask: reference.mask,
        });
        const headFrames = head ? request.headFrames : undefined;
        // The encoder reads the masks as a 30 fps stream: resample here so they stay in step with a
        // head video of another rate. With `headFrames` the same decode also feeds the encoder's
        // head input, so the video is decoded once per composite, not twice.
        const source = rawFrames({
          ffmpegPath: ffmpeg,
          videoPath: request.videoPath,
          width,
          height,
          pixFmt: 'rgb24',
          preFilter: `fps=${outputFps}`,
          threads: 1,
          signal,
          ...(head && headFrames ? { alsoScaled: { ...headFrames, into: head } } : {}),
        });
        // The encoder stops reading once it has the speech's length (`-t`), which may come before
        // the head video ends: from then on the decoder is stopped and nothing here is an error.
        let encoderGone = false;
        const gone = () => {
          if (encoderGone) return;
          encoderGone = true;
          source.stop();
        };
        const closed = new Promise<void>((resolve) => sink.once('close', resolve));
        sink.once('error', gone);
        let index = 0;
        try {
          for await (const frame of source.frames()) {
            if (encoderGone) break;
            const { mask } = tracker.next(frame);
            onMask?.(index, mask);
            index++;
            if (!sink.write(mask)) await Promise.race([once(sink, 'drain'), closed.then(gone)]);
          }
          await (encoderGone ? source.done.catch(() => undefined) : source.done);
        } catch (error) {
          source.stop();
          if (!encoderGone) throw error;
        } finally {
          sink.end();
        }
      },
    };
  }

  private async referenceMask(
    ffmpeg: string,
    request: SegmentationRequest,
    first: Uint8Array,
    backdrop: BackdropEstimate,
  ): Promise<{ mask: Float32Array; source: string }> {
    const model = this.options.model ?? 'medium';
    const key = createHash('sha256')
      .update(first)
      .update(`${model}:${this.width}x${this.height}`)
      .digest('hex')
      .slice(0, 32);
    const cached = join(this.cacheDir, `${key}.f32`);
    const hit = await readFile(cached).catch(() => undefined);
    if (hit && hit.length === this.width * this.height * 4) {
      return {
        mask: new Float32Array(hit.buffer, hit.byteOffset, this.width * this.height).slice(),
        source: `cached ISNet-${model}`,
      };
    }
    if (this.options.reference === 'colour-key')
      return {
        mask: colourKeyMask(first, this.width, this.height, backdrop),
        source: 'colour-key',
      };
    const square = await runFfmpeg(
      ffmpeg,
      'segment',
      [
        '-i',
        request.videoPath,
        '-frames:v',
        '1',
        '-vf',
        `scale=${isnetSize}:${isnetSize}:flags=bilinear`,
        '-f',
        'rawvideo',
        '-pix_fmt',
        'rgb24',
        'pipe:1',
      ],
      { signal: request.signal, timeoutMs: 60_000 },
    );
    let mask: Float32Array;
    try {
      const coverage = await sharedModel(model).use((isnet) =>
        isnet.segment(new Uint8Array(square)),
      );
      mask = resizePlane(coverage, isnetSize, isnetSize, this.width, this.height);
    } catch (error) {
      this.logger.warn(
        { stage: 'overlay', err: error },
        'ISNet is not available; the reference mask comes from the colour key',
      );
      return {
        mask: colourKeyMask(first, this.width, this.height, backdrop),
        source: 'colour-key',
      };
    }
    await mkdir(this.cacheDir, { recursive: true });
    const partial = `${cached}.${process.pid}.partial`;
    await writeFile(partial, Buffer.from(mask.buffer, mask.byteOffset, mask.byteLength));
    await rename(partial, cached);
    return { mask, source: `ISNet-${model}` };
  }
}
