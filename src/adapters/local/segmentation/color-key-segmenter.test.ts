import { describe, expect, it } from 'vitest';
import { estimateBackdrop, findSubject } from './color-key-segmenter.js';

const width = 40;
const height = 80;

/** A plain backdrop with a person-like block standing on the bottom edge. */
function portraitPixels(backdrop: [number, number, number], noise = 0): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  let seed = 7;
  const jitter = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return Math.round(((seed / 0x7fffffff) * 2 - 1) * noise);
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const person = y >= 30 && x >= 10 && x < 30;
      const colour = person
        ? [200, 150, 120]
        : backdrop.map((c) => Math.max(0, Math.min(255, c + jitter())));
      rgb.set(colour, (y * width + x) * 3);
    }
  }
  return rgb;
}

describe('estimateBackdrop', () => {
  it('reads a plain backdrop colour and keys it tightly', () => {
    const estimate = estimateBackdrop(portraitPixels([74, 144, 217]), width, height);
    expect(estimate.rgb).toEqual([74, 144, 217]);
    expect(estimate.unevenness).toBe(0);
    expect(estimate.similarity).toBeCloseTo(0.1, 3);
  });

  it('widens the key for an uneven backdrop', () => {
    const estimate = estimateBackdrop(portraitPixels([220, 220, 220], 20), width, height);
    expect(estimate.unevenness).toBeGreaterThan(0);
    expect(estimate.similarity).toBeGreaterThan(0.1);
    expect(estimate.similarity).toBeLessThanOrEqual(0.3);
  });

  it('rejects a buffer that is too small', () => {
    expect(() => estimateBackdrop(new Uint8Array(10), width, height)).toThrow(RangeError);
  });
});

describe('findSubject', () => {
  it('boxes the person', () => {
    const rgb = portraitPixels([74, 144, 217]);
    const box = findSubject(rgb, width, height, estimateBackdrop(rgb, width, height));
    expect(box).toEqual({ x: 0.25, y: 0.375, width: 0.5, height: 0.625 });
  });

  it('finds nobody on an empty backdrop', () => {
    const rgb = new Uint8Array(width * height * 3).fill(90);
    expect(findSubject(rgb, width, height, estimateBackdrop(rgb, width, height))).toBeUndefined();
  });
});
