/**
 * A similarity transform about the image centre: frame = (1 + a)·R·ref − b·R⊥·ref + t, i.e.
 * x' = (1+a)·x − b·y + tx, y' = b·x + (1+a)·y + ty with x, y measured from the centre.
 * Zoom, pan and roll of the renderer's camera are exactly this family.
 */
export interface Similarity {
  readonly a: number;
  readonly b: number;
  readonly tx: number;
  readonly ty: number;
}

export const identity: Similarity = { a: 0, b: 0, tx: 0, ty: 0 };

/** Maps a centred reference point to the centred frame point. */
export function applySimilarity(s: Similarity, x: number, y: number): [number, number] {
  return [(1 + s.a) * x - s.b * y + s.tx, s.b * x + (1 + s.a) * y + s.ty];
}

export function invertSimilarity(s: Similarity): Similarity {
  const p = 1 + s.a;
  const det = p * p + s.b * s.b;
  // The inverse of [[p, -b], [b, p]] is [[p, b], [-b, p]] / det.
  const ip = p / det;
  const ib = -s.b / det;
  return { a: ip - 1, b: ib, tx: -(ip * s.tx - ib * s.ty), ty: -(ib * s.tx + ip * s.ty) };
}

/** The same motion measured in pixels of an image `factor` times larger. */
export function scaleSimilarity(s: Similarity, factor: number): Similarity {
  return { a: s.a, b: s.b, tx: s.tx * factor, ty: s.ty * factor };
}
