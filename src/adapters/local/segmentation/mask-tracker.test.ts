import { describe, expect, it } from 'vitest';
import { maskIou } from './mask-iou.js';
import { MaskTracker } from './mask-tracker.js';
import { renderScene } from '../../../testing/segmentation/synthetic-scene.js';

const width = 180;
const height = 320;

function truth(options: Parameters<typeof renderScene>[0]): Float32Array {
  return renderScene(options).mask;
}

describe('MaskTracker', () => {
  const reference = renderScene({ width, height });
  const tracker = () =>
    new MaskTracker({ width, height, rgb: reference.rgb, mask: reference.mask });

  it('carries the reference mask along the camera motion', () => {
    const camera = { a: 0.05, b: 0.01, tx: 6, ty: -4 };
    const frame = renderScene({ width, height, camera });
    const { mask } = tracker().next(frame.rgb);
    expect(maskIou(mask, truth({ width, height, camera }))).toBeGreaterThan(0.97);
  });

  it('follows a head that moved on its own (both the uncovered and the newly covered side)', () => {
    const options = { width, height, headShift: [14, 4] as const };
    const frame = renderScene(options);
    const { mask, changed } = tracker().next(frame.rgb);
    expect(changed).toBeGreaterThan(0);
    const iou = maskIou(mask, truth(options));
    // The carried mask alone would score noticeably lower than this.
    expect(iou).toBeGreaterThan(0.95);
    expect(maskIou(mask, reference.mask)).toBeLessThan(iou);
  });

  it('keeps out something that came in on its own, away from the person', () => {
    const frame = renderScene({ width, height, hand: { x: 20, y: 60, r: 14 } });
    const { mask } = tracker().next(frame.rgb);
    expect(mask[60 * width + 20]).toBeLessThan(128);
    expect(maskIou(mask, reference.mask)).toBeGreaterThan(0.97);
  });
});

describe('maskIou', () => {
  it('is 1 for equal masks and the overlap ratio otherwise', () => {
    const a = new Uint8Array([255, 255, 0, 0]);
    expect(maskIou(a, new Float32Array([1, 1, 0, 0]))).toBe(1);
    expect(maskIou(a, new Float32Array([1, 0, 1, 0]))).toBeCloseTo(1 / 3);
    expect(maskIou(new Uint8Array(4), new Float32Array(4))).toBe(1);
  });

  it('reads each side by its own kind: gray8 cuts at 128, coverage at 0.5', () => {
    expect(maskIou(new Uint8Array([128, 127, 255, 0]), new Uint8Array([255, 0, 200, 0]))).toBe(1);
    expect(maskIou(new Float32Array([0.5, 0.49]), new Float32Array([1, 1]))).toBeCloseTo(1 / 2);
  });
});
