/**
 * A mask plane: gray8 (0..255, person at 128 and above) or coverage (0..1, person at 0.5 and
 * above).
 */
export type MaskPlane = Uint8Array | Float32Array;

/**
 * Intersection over union of two masks of the same size, each thresholded at half coverage.
 * Either may be gray8 or coverage. Two empty masks agree perfectly (1).
 */
export function maskIou(a: MaskPlane, b: MaskPlane): number {
  if (a.length !== b.length) throw new RangeError(`mask sizes differ: ${a.length} and ${b.length}`);
  const cutA = a instanceof Uint8Array ? 128 : 0.5;
  const cutB = b instanceof Uint8Array ? 128 : 0.5;
  let intersection = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    const inA = a[i]! >= cutA;
    const inB = b[i]! >= cutB;
    if (inA && inB) intersection++;
    if (inA || inB) union++;
  }
  return union === 0 ? 1 : intersection / union;
}
