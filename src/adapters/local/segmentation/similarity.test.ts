import { describe, expect, it } from 'vitest';
import { applySimilarity, invertSimilarity } from './similarity.js';

describe('invertSimilarity', () => {
  it('undoes the transform', () => {
    const s = { a: 0.07, b: -0.02, tx: 11, ty: -5 };
    const [x, y] = applySimilarity(s, 30, -40);
    const [bx, by] = applySimilarity(invertSimilarity(s), x, y);
    expect(bx).toBeCloseTo(30, 9);
    expect(by).toBeCloseTo(-40, 9);
  });
});
