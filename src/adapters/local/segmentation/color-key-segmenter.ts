import type { Logger } from '../../../logging/logger.js';
import { createLogger } from '../../../logging/logger.js';
import { sharedExecutable } from '../binaries/media-binaries.js';
import { runFfmpeg } from '../ffmpeg/ffmpeg-run.js';
import type { Matte, SegmentationRequest, Segmenter, SubjectBox } from './segmenter.js';

export interface ColorKeySegmenterOptions {
  readonly ffmpegPath?: string;
  readonly logger?: Logger;
  /** Softness of the key's edge, 0..1 (ffmpeg colorkey `blend`). */
  readonly blend?: number;
}

export interface BackdropEstimate {
  readonly rgb: readonly [number, number, number];
  /** colorkey similarity that covers the backdrop's own unevenness. */
  readonly similarity: number;
  /** 90th percentile distance of border pixels from the backdrop colour (colorkey units). */
  readonly unevenness: number;
}

// A small thumbnail is enough to read a plain backdrop and costs one decoded frame.
const sampleWidth = 108;
const sampleHeight = 192;
// Above this the backdrop is not plain: keying still runs, but the subject box would be noise.
export const maxPlainUnevenness = 0.12;

/**
 * Cut-out for the catalog's plain-backdrop portraits: the backdrop colour is read from the edges
 * of the first frame and keyed out. It fails on busy backgrounds or clothes in the backdrop's
 * colour; a segmentation model behind the same `Segmenter` interface is the real fix.
 */
export class ColorKeySegmenter implements Segmenter {
  readonly name = 'color-key';
  private readonly logger: Logger;

  constructor(private readonly options: ColorKeySegmenterOptions = {}) {
    this.logger = options.logger ?? createLogger();
  }

  async matte(request: SegmentationRequest): Promise<Matte> {
    const ffmpeg = this.options.ffmpegPath ?? (await sharedExecutable('ffmpeg', this.logger)).path;
    const pixels = await runFfmpeg(
      ffmpeg,
      'segment',
      [
        '-i',
        request.videoPath,
        '-frames:v',
        '1',
        '-vf',
        `scale=${sampleWidth}:${sampleHeight}:flags=area`,
        '-f',
        'rawvideo',
        '-pix_fmt',
        'rgb24',
        'pipe:1',
      ],
      { signal: request.signal, timeoutMs: 60_000 },
    );
    const estimate = estimateBackdrop(pixels, sampleWidth, sampleHeight);
    const hex = estimate.rgb.map((c) => c.toString(16).padStart(2, '0')).join('');
    const blend = this.options.blend ?? 0.08;
    this.logger.info(
      {
        stage: 'overlay',
        segmenter: this.name,
        backdrop: `#${hex}`,
        similarity: estimate.similarity,
        unevenness: estimate.unevenness,
      },
      estimate.unevenness > maxPlainUnevenness
        ? 'backdrop is not plain; the colour-key cut-out may leave parts of it'
        : 'backdrop colour estimated',
    );
    const subject =
      estimate.unevenness <= maxPlainUnevenness
        ? findSubject(pixels, sampleWidth, sampleHeight, estimate)
        : undefined;
    return {
      kind: 'filter',
      filter: `colorkey=0x${hex}:${estimate.similarity.toFixed(3)}:${blend}`,
      description: `colour key #${hex}`,
      ...(subject ? { subject } : {}),
    };
  }
}

/**
 * The backdrop colour is the per-channel median of the top row and the upper halves of the side
 * columns; the bottom is skipped because a portrait's body reaches the bottom edge.
 */
export function estimateBackdrop(rgb: Uint8Array, width: number, height: number): BackdropEstimate {
  if (rgb.length < width * height * 3)
    throw new RangeError('pixel buffer is smaller than width × height × 3');
  const samples: [number, number, number][] = [];
  const at = (x: number, y: number): [number, number, number] => {
    const i = (y * width + x) * 3;
    return [rgb[i] ?? 0, rgb[i + 1] ?? 0, rgb[i + 2] ?? 0];
  };
  for (let x = 0; x < width; x++) samples.push(at(x, 0), at(x, 1));
  for (let y = 2; y < Math.floor(height / 2); y++)
    samples.push(at(0, y), at(1, y), at(width - 1, y), at(width - 2, y));
  const median = (channel: 0 | 1 | 2) => {
    const values = samples.map((s) => s[channel]).sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)] ?? 0;
  };
  const backdrop: [number, number, number] = [median(0), median(1), median(2)];
  // ffmpeg colorkey's distance: RGB Euclidean distance normalised to 0..1.
  const distances = samples
    .map(
      (s) =>
        Math.hypot(s[0] - backdrop[0], s[1] - backdrop[1], s[2] - backdrop[2]) /
        (255 * Math.sqrt(3)),
    )
    .sort((a, b) => a - b);
  const unevenness = distances[Math.floor(distances.length * 0.9)] ?? 0;
  const similarity = Math.min(0.3, Math.max(0.1, unevenness * 1.5 + 0.08));
  return { rgb: backdrop, similarity: round3(similarity), unevenness: round3(unevenness) };
}

/**
 * The bounding box of everything that is clearly not backdrop. Rows and columns with only a
 * stray pixel or two (compression noise) do not count.
 */
export function findSubject(
  rgb: Uint8Array,
  width: number,
  height: number,
  backdrop: BackdropEstimate,
): SubjectBox | undefined {
  const threshold = backdrop.similarity + 0.05;
  const [br, bg, bb] = backdrop.rgb;
  const rows = new Array<number>(height).fill(0);
  const columns = new Array<number>(width).fill(0);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const distance =
        Math.hypot((rgb[i] ?? 0) - br, (rgb[i + 1] ?? 0) - bg, (rgb[i + 2] ?? 0) - bb) /
        (255 * Math.sqrt(3));
      if (distance > threshold) {
        rows[y] = (rows[y] ?? 0) + 1;
        columns[x] = (columns[x] ?? 0) + 1;
      }
    }
  }
  const minCount = 3;
  const top = rows.findIndex((count) => count >= minCount);
  const left = columns.findIndex((count) => count >= minCount);
  if (top < 0 || left < 0) return undefined;
  const bottom = height - 1 - [...rows].reverse().findIndex((count) => count >= minCount);
  const right = width - 1 - [...columns].reverse().findIndex((count) => count >= minCount);
  const box = {
    x: left / width,
    y: top / height,
    width: (right - left + 1) / width,
    height: (bottom - top + 1) / height,
  };
  // A "subject" that is nearly the whole frame means the key found no backdrop to speak of.
  if (box.width * box.height > 0.97) return undefined;
  return {
    x: round3(box.x),
    y: round3(box.y),
    width: round3(box.width),
    height: round3(box.height),
  };
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
