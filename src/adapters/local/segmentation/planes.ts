/** A single-channel float image, row-major. */
export interface Plane {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

export function plane(width: number, height: number, data?: Float32Array): Plane {
  return { width, height, data: data ?? new Float32Array(width * height) };
}

/**
 * Luma (BT.601 weights) from packed RGB24, into `out` when given (a tracker reuses one per frame).
 */
export function grayFromRgb(
  rgb: Uint8Array,
  width: number,
  height: number,
  out = new Float32Array(width * height),
): Plane {
  for (let i = 0, j = 0; i < width * height; i++, j += 3)
    out[i] = 0.299 * rgb[j]! + 0.587 * rgb[j + 1]! + 0.114 * rgb[j + 2]!;
  return plane(width, height, out);
}

/** Half size by 2×2 averaging (odd edges dropped). */
export function halve(p: Plane): Plane {
  const w = p.width >> 1;
  const h = p.height >> 1;
  const out = new Float32Array(w * h);
  const src = p.data;
  for (let y = 0; y < h; y++) {
    const r0 = 2 * y * p.width;
    const r1 = r0 + p.width;
    for (let x = 0; x < w; x++) {
      const c = 2 * x;
      out[y * w + x] = 0.25 * (src[r0 + c]! + src[r0 + c + 1]! + src[r1 + c]! + src[r1 + c + 1]!);
    }
  }
  return plane(w, h, out);
}

/** Bilinear sample with the edge pixels extended outward. */
export function sample(p: Plane, x: number, y: number): number {
  const w = p.width;
  const h = p.height;
  const cx = x < 0 ? 0 : x > w - 1 ? w - 1 : x;
  const cy = y < 0 ? 0 : y > h - 1 ? h - 1 : y;
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = x0 + 1 < w ? x0 + 1 : x0;
  const y1 = y0 + 1 < h ? y0 + 1 : y0;
  const fx = cx - x0;
  const fy = cy - y0;
  const d = p.data;
  const top = d[y0 * w + x0]! + (d[y0 * w + x1]! - d[y0 * w + x0]!) * fx;
  const bottom = d[y1 * w + x0]! + (d[y1 * w + x1]! - d[y1 * w + x0]!) * fx;
  return top + (bottom - top) * fy;
}

/** Horizontal and vertical central differences. */
export function gradients(p: Plane): { gx: Plane; gy: Plane } {
  const { width: w, height: h, data: d } = p;
  const gx = new Float32Array(w * h);
  const gy = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const up = y > 0 ? y - 1 : y;
    const down = y < h - 1 ? y + 1 : y;
    for (let x = 0; x < w; x++) {
      const left = x > 0 ? x - 1 : x;
      const right = x < w - 1 ? x + 1 : x;
      const i = y * w + x;
      gx[i] = (d[y * w + right]! - d[y * w + left]!) / (right - left || 1);
      gy[i] = (d[down * w + x]! - d[up * w + x]!) / (down - up || 1);
    }
  }
  return { gx: plane(w, h, gx), gy: plane(w, h, gy) };
}

/** Mean over a (2r+1)² window, separable, edges clamped. */
export function boxBlur(p: Plane, r: number): Plane {
  const out = new Float32Array(p.width * p.height);
  boxBlurInto(p.data, p.width, p.height, r, new Float32Array(p.width * p.height), out);
  return plane(p.width, p.height, out);
}

/**
 * `boxBlur` into caller-owned buffers (`tmp` and `out`, each width × height). The running sums
 * only clamp at the edges: the interior loops carry no bounds arithmetic, which is most of the
 * work at the tracker's working size, twice per frame.
 */
export function boxBlurInto(
  d: Float32Array,
  w: number,
  h: number,
  r: number,
  tmp: Float32Array,
  out: Float32Array,
): void {
  const inv = 1 / (2 * r + 1);
  // Where a running window needs no clamping on either side: r ≤ x and x + r + 1 ≤ w − 1.
  const xEnd = Math.max(r, w - r - 1);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let acc = 0;
    for (let k = -r; k <= r; k++) acc += d[row + Math.min(w - 1, Math.max(0, k))]!;
    let x = 0;
    for (; x < r && x < w; x++) {
      tmp[row + x] = acc * inv;
      acc += d[row + Math.min(w - 1, x + r + 1)]! - d[row]!;
    }
    for (; x < xEnd; x++) {
      tmp[row + x] = acc * inv;
      acc += d[row + x + r + 1]! - d[row + x - r]!;
    }
    for (; x < w; x++) {
      tmp[row + x] = acc * inv;
      acc += d[row + w - 1]! - d[row + Math.max(0, x - r)]!;
    }
  }
  // The vertical pass runs row by row over a column-sum row, so it reads memory in order.
  const acc = new Float64Array(w);
  for (let x = 0; x < w; x++) {
    let sum = 0;
    for (let k = -r; k <= r; k++) sum += tmp[Math.min(h - 1, Math.max(0, k)) * w + x]!;
    acc[x] = sum;
  }
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const add = Math.min(h - 1, y + r + 1) * w;
    const drop = Math.max(0, y - r) * w;
    for (let x = 0; x < w; x++) {
      out[row + x] = acc[x]! * inv;
      acc[x] = acc[x]! + (tmp[add + x]! - tmp[drop + x]!);
    }
  }
}
