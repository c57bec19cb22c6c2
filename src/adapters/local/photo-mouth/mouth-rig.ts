import type { Point } from '../../../catalog/photo-face.js';

/** A region of the picture, whole pixels. */
export interface PixelBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The lips in picture coordinates: 12 outer points from the left corner, 8 inner ones. */
export interface Lips {
  readonly outer: readonly Point[];
  readonly inner: readonly Point[];
}

/**
 * How far the jaw drops at a wide-open vowel, as a share of the mouth's width (corner to corner):
 * a speaking mouth opens about a quarter of its width; more reads as a shout.
 */
export const maxOpeningShare = 0.28;

// The inside of an open mouth: a dark, slightly red shadow, darker towards the middle.
const interior = [52, 20, 24] as const;
const interiorDeep = [28, 9, 12] as const;

/**
 * One photo's mouth, ready to open: the patch of the picture around the lips and, for every column
 * of it, where the lips part and how far they may part there. `frame` makes the patch of a mouth
 * opened by a given share: the lower lip and the chin below it move down (the jaw drops, tapering
 * to nothing at the patch's edges, so the patch always joins the picture seamlessly) and the gap
 * they leave under the upper lip is the dark inside of the mouth. Pure pixel work, no I/O.
 */
export class MouthRig {
  readonly box: PixelBox;
  /** Mouth width in pixels (corner to corner). */
  readonly mouthWidth: number;
  private readonly source: Uint8Array;
  /** Per patch column: the y (patch rows) where the lips part, or NaN outside the mouth. */
  private readonly seam: Float32Array;
  /** Per patch column: 0..1, how much of the opening this column gets (0 at the corners). */
  private readonly profile: Float32Array;
  /** Per patch column: the row below which the chin's movement starts to fade out. */
  private readonly chinStart: Float32Array;

  constructor(rgb: Uint8Array, width: number, height: number, lips: Lips) {
    if (lips.outer.length !== 12 || lips.inner.length !== 8)
      throw new RangeError('a mouth needs 12 outer and 8 inner lip points');
    const left = lips.outer[0]!;
    const right = lips.outer[6]!;
    this.mouthWidth = Math.hypot(right[0] - left[0], right[1] - left[1]);
    const w = this.mouthWidth;
    const xs = lips.outer.map((p) => p[0]);
    const ys = lips.outer.map((p) => p[1]);
    const x0 = clamp(Math.floor(Math.min(...xs) - 0.2 * w), 0, width - 1);
    const x1 = clamp(Math.ceil(Math.max(...xs) + 0.2 * w), x0 + 1, width);
    const y0 = clamp(Math.floor(Math.min(...ys) - 0.15 * w), 0, height - 1);
    // Room below the lips for the chin's movement to fade out gently.
    const y1 = clamp(Math.ceil(Math.max(...ys) + 0.95 * w), y0 + 1, height);
    this.box = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
    this.source = new Uint8Array(this.box.width * this.box.height * 3);
    for (let row = 0; row < this.box.height; row++) {
      const from = ((y0 + row) * width + x0) * 3;
      this.source.set(rgb.subarray(from, from + this.box.width * 3), row * this.box.width * 3);
    }
    // The lips part along the lower edge of the inner contour: an open-mouthed photo keeps its
    // upper lip and teeth, and the new gap opens beneath them, where a jaw drop opens it.
    const inner = lips.inner;
    const lowerInner = sortByX([inner[0]!, inner[7]!, inner[6]!, inner[5]!, inner[4]!]);
    const lowerOuter = sortByX([lips.outer[6]!, ...lips.outer.slice(7), lips.outer[0]!]);
    const innerLeft = lowerInner[0]![0];
    const innerRight = lowerInner[lowerInner.length - 1]![0];
    this.seam = new Float32Array(this.box.width);
    this.profile = new Float32Array(this.box.width);
    this.chinStart = new Float32Array(this.box.width);
    for (let col = 0; col < this.box.width; col++) {
      const x = x0 + col + 0.5;
      const inside = x > innerLeft && x < innerRight;
      this.seam[col] = inside ? polylineY(lowerInner, x) - y0 : Number.NaN;
      this.profile[col] = inside
        ? Math.sin((Math.PI * (x - innerLeft)) / (innerRight - innerLeft)) ** 0.7
        : 0;
      this.chinStart[col] =
        polylineY(lowerOuter, clamp(x, lowerOuter[0]![0], lowerOuter[lowerOuter.length - 1]![0])) -
        y0 +
        0.25 * w;
    }
  }

  /** The opening in pixels at the widest point for a share 0..1 of a wide-open mouth. */
  openingPixels(share: number): number {
    return clamp(share, 0, 1) * maxOpeningShare * this.mouthWidth;
  }

  /** The patch (RGBA, `box` sized) with the mouth opened by `share` of a wide-open mouth. */
  frame(share: number, into?: Uint8Array): Uint8Array {
    const { width, height } = this.box;
    const out = into ?? new Uint8Array(width * height * 4);
    const open = this.openingPixels(share);
    const src = this.source;
    for (let col = 0; col < width; col++) {
      const seam = this.seam[col]!;
      const gap = open * this.profile[col]!;
      const chin = this.chinStart[col]!;
      const fade = Math.max(1, height - chin);
      for (let row = 0; row < height; row++) {
        const o = (row * width + col) * 4;
        const y = row + 0.5;
        if (!(gap > 0) || Number.isNaN(seam) || y <= seam) {
          copyPixel(src, (row * width + col) * 3, out, o);
          continue;
        }
        // The lower lip and chin, moved down by the gap near the lips and less and less towards the
        // patch's bottom edge, sampled with a linear blend between rows.
        const taper = y <= chin ? 1 : Math.max(0, 1 - (y - chin) / fade);
        const sy = clamp(y - gap * taper - 0.5, 0, height - 1);
        const r0 = Math.floor(sy);
        const r1 = Math.min(height - 1, r0 + 1);
        const t = sy - r0;
        const a = (r0 * width + col) * 3;
        const b = (r1 * width + col) * 3;
        let r = src[a]! * (1 - t) + src[b]! * t;
        let g = src[a + 1]! * (1 - t) + src[b + 1]! * t;
        let bl = src[a + 2]! * (1 - t) + src[b + 2]! * t;
        // How much of this pixel row lies in the gap [seam, seam + gap): the gap's edges are
        // blended.
        const cover = clamp(Math.min(row + 1, seam + gap) - Math.max(row, seam), 0, 1);
        if (cover > 0) {
          const depth = Math.sin(Math.PI * clamp((y - seam) / gap, 0, 1)) * this.profile[col]!;
          const ir = interior[0] + (interiorDeep[0] - interior[0]) * depth;
          const ig = interior[1] + (interiorDeep[1] - interior[1]) * depth;
          const ib = interior[2] + (interiorDeep[2] - interior[2]) * depth;
          r = r * (1 - cover) + ir * cover;
          g = g * (1 - cover) + ig * cover;
          bl = bl * (1 - cover) + ib * cover;
        }
        out[o] = r;
        out[o + 1] = g;
        out[o + 2] = bl;
        out[o + 3] = 255;
      }
    }
    return out;
  }
}

function copyPixel(src: Uint8Array, s: number, out: Uint8Array, o: number): void {
  out[o] = src[s]!;
  out[o + 1] = src[s + 1]!;
  out[o + 2] = src[s + 2]!;
  out[o + 3] = 255;
}

function sortByX(points: readonly Point[]): Point[] {
  return [...points].sort((a, b) => a[0] - b[0]);
}

/** y of a polyline (sorted by x) at x, held flat beyond its ends. */
export function polylineY(points: readonly Point[], x: number): number {
  if (x <= points[0]![0]) return points[0]![1];
  for (let i = 1; i < points.length; i++) {
    const [xa, ya] = points[i - 1]!;
    const [xb, yb] = points[i]!;
    if (x <= xb) return xb === xa ? yb : ya + ((yb - ya) * (x - xa)) / (xb - xa);
  }
  return points[points.length - 1]![1];
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
