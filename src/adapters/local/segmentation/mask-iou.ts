/**
 * Intersection over union of two masks of the same size, each thresholded at half coverage.
 * `a` is gray8 (0..255), `b` is coverage (0..1). Two empty masks agree perfectly (1).
 */
export function maskIou(a: Uint8Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RangeError(`mask sizes differ: ${a.length} and ${b.length}`);
  let intersection = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    const inA = a[i]! >= 128;
    const inB = b[i]! >= 0.5;
    if (inA && inB) intersection++;
    if (inA || inB) union++;
  }
  return union === 0 ? 1 : intersection / union;
}
