import { gradients, halve, type Plane } from './planes.js';
import { scaleSimilarity, type Similarity } from './similarity.js';

export interface MotionOptions {
  /** Gauss–Newton steps per pyramid level, coarsest first. */
  readonly iterations?: readonly number[];
  /** Use every `step`-th pixel per level, coarsest first (the finest level rarely needs all). */
  readonly steps?: readonly number[];
}

/** A reference prepared once: its pyramid, coarsest level first. */
export interface MotionReference {
  readonly levels: readonly Plane[];
}

export function motionReference(gray: Plane, levelCount = 3): MotionReference {
  const levels: Plane[] = [gray];
  while (levels.length < levelCount) levels.push(halve(levels[levels.length - 1]!));
  return { levels: levels.reverse() };
}

/**
 * The camera motion that maps the reference onto `frame`: robust (Huber-weighted) Gauss–Newton
 * on the intensities over a pyramid, started from `initial` (the previous frame's answer, since
 * the camera moves smoothly). Pixels that changed for other reasons (a hand, a turning head)
 * get small weights, so the backdrop and the body decide the motion.
 */
export function estimateMotion(
  reference: MotionReference,
  frame: Plane,
  initial: Similarity,
  options: MotionOptions = {},
): Similarity {
  const frameLevels: Plane[] = [frame];
  while (frameLevels.length < reference.levels.length)
    frameLevels.push(halve(frameLevels[frameLevels.length - 1]!));
  frameLevels.reverse();
  // The finest level is skipped by default: Gauss–Newton at half size is already sub-pixel at
  // full size, and the finest level would cost as much as all the rest of the tracker.
  const iterations = options.iterations ?? [6, 4, 0];
  const steps = options.steps ?? [1, 1, 2];
  const finest = reference.levels[reference.levels.length - 1]!.width;
  let s = initial;
  reference.levels.forEach((ref, level) => {
    const factor = ref.width / finest;
    let local = scaleSimilarity(s, factor);
    const f = frameLevels[level]!;
    if ((iterations[level] ?? 0) === 0) return;
    const { gx, gy } = gradients(f);
    for (let i = 0; i < (iterations[level] ?? 0); i++) {
      const next = gaussNewtonStep(ref, f, gx, gy, local, steps[level] ?? 1);
      if (!next) break;
      local = next.s;
      if (next.converged) break;
    }
    s = scaleSimilarity(local, 1 / factor);
  });
  return s;
}

function gaussNewtonStep(
  ref: Plane,
  frame: Plane,
  gx: Plane,
  gy: Plane,
  s: Similarity,
  step: number,
): { s: Similarity; converged: boolean } | undefined {
  const cxr = (ref.width - 1) / 2;
  const cyr = (ref.height - 1) / 2;
  const cxf = (frame.width - 1) / 2;
  const cyf = (frame.height - 1) / 2;
  const p = 1 + s.a;
  // Normal equations H·δ = g for δ = (da, db, dtx, dty).
  const H = new Float64Array(16);
  const g = new Float64Array(4);
  // Huber threshold in grey levels: compression noise stays quadratic, changed content does not.
  const k = 12;
  const rd = ref.data;
  const fw = frame.width;
  const fh = frame.height;
  const fd = frame.data;
  const gxd = gx.data;
  const gyd = gy.data;
  let h00 = 0,
    h01 = 0,
    h02 = 0,
    h03 = 0,
    h11 = 0,
    h12 = 0,
    h13 = 0,
    h22 = 0,
    h23 = 0,
    h33 = 0;
  let g0 = 0,
    g1 = 0,
    g2 = 0,
    g3 = 0;
  for (let y = 0; y < ref.height; y += step) {
    const yc = y - cyr;
    for (let x = 0; x < ref.width; x += step) {
      const xc = x - cxr;
      const fx = p * xc - s.b * yc + s.tx + cxf;
      const fy = s.b * xc + p * yc + s.ty + cyf;
      if (fx < 0 || fy < 0 || fx >= fw - 1 || fy >= fh - 1) continue;
      // Bilinear weights shared by the three samples (intensity and both gradients).
      const x0 = fx | 0;
      const y0 = fy | 0;
      const ax = fx - x0;
      const ay = fy - y0;
      const i00 = y0 * fw + x0;
      const i10 = i00 + fw;
      const w00 = (1 - ax) * (1 - ay);
      const w01 = ax * (1 - ay);
      const w10 = (1 - ax) * ay;
      const w11 = ax * ay;
      const ix = gxd[i00]! * w00 + gxd[i00 + 1]! * w01 + gxd[i10]! * w10 + gxd[i10 + 1]! * w11;
      const iy = gyd[i00]! * w00 + gyd[i00 + 1]! * w01 + gyd[i10]! * w10 + gyd[i10 + 1]! * w11;
      if (ix === 0 && iy === 0) continue;
      const r =
        fd[i00]! * w00 +
        fd[i00 + 1]! * w01 +
        fd[i10]! * w10 +
        fd[i10 + 1]! * w11 -
        rd[y * ref.width + x]!;
      const abs = r < 0 ? -r : r;
      const w = abs <= k ? 1 : k / abs;
      const j0 = ix * xc + iy * yc;
      const j1 = -ix * yc + iy * xc;
      const wj0 = w * j0,
        wj1 = w * j1,
        wj2 = w * ix,
        wj3 = w * iy;
      g0 -= wj0 * r;
      g1 -= wj1 * r;
      g2 -= wj2 * r;
      g3 -= wj3 * r;
      h00 += wj0 * j0;
      h01 += wj0 * j1;
      h02 += wj0 * ix;
      h03 += wj0 * iy;
      h11 += wj1 * j1;
      h12 += wj1 * ix;
      h13 += wj1 * iy;
      h22 += wj2 * ix;
      h23 += wj2 * iy;
      h33 += wj3 * iy;
    }
  }
  H.set([h00, h01, h02, h03, 0, h11, h12, h13, 0, 0, h22, h23, 0, 0, 0, h33]);
  g.set([g0, g1, g2, g3]);
  for (let m = 0; m < 4; m++) for (let n = 0; n < m; n++) H[m * 4 + n] = H[n * 4 + m]!;
  const delta = solve4(H, g);
  if (!delta) return undefined;
  const next = {
    a: s.a + delta[0]!,
    b: s.b + delta[1]!,
    tx: s.tx + delta[2]!,
    ty: s.ty + delta[3]!,
  };
  const shift =
    Math.abs(delta[2]!) +
    Math.abs(delta[3]!) +
    (Math.abs(delta[0]!) + Math.abs(delta[1]!)) * ref.width;
  return { s: next, converged: shift < 0.01 };
}

/** Gaussian elimination with partial pivoting for the 4×4 normal equations. */
function solve4(Hin: Float64Array, gin: Float64Array): Float64Array | undefined {
  const a = Float64Array.from(Hin);
  const b = Float64Array.from(gin);
  for (let c = 0; c < 4; c++) {
    let pivot = c;
    for (let r = c + 1; r < 4; r++)
      if (Math.abs(a[r * 4 + c]!) > Math.abs(a[pivot * 4 + c]!)) pivot = r;
    if (Math.abs(a[pivot * 4 + c]!) < 1e-9) return undefined;
    if (pivot !== c) {
      for (let k = 0; k < 4; k++)
        [a[c * 4 + k], a[pivot * 4 + k]] = [a[pivot * 4 + k]!, a[c * 4 + k]!];
      [b[c], b[pivot]] = [b[pivot]!, b[c]!];
    }
    for (let r = c + 1; r < 4; r++) {
      const f = a[r * 4 + c]! / a[c * 4 + c]!;
      for (let k = c; k < 4; k++) a[r * 4 + k]! -= f * a[c * 4 + k]!;
      b[r]! -= f * b[c]!;
    }
  }
  const x = new Float64Array(4);
  for (let r = 3; r >= 0; r--) {
    let acc = b[r]!;
    for (let k = r + 1; k < 4; k++) acc -= a[r * 4 + k]! * x[k]!;
    x[r] = acc / a[r * 4 + r]!;
  }
  return x;
}
