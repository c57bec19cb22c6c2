import { describe, expect, it } from 'vitest';
import { estimateMotion, motionReference } from './motion-estimator.js';
import { grayFromRgb } from './planes.js';
import { identity } from './similarity.js';
import { renderScene } from '../../../testing/segmentation/synthetic-scene.js';

const width = 180;
const height = 320;

describe('estimateMotion', () => {
  const reference = renderScene({ width, height });
  const prepared = motionReference(grayFromRgb(reference.rgb, width, height));

  it.each([
    { name: 'zoom in and pan', camera: { a: 0.04, b: 0, tx: 5, ty: -3 } },
    { name: 'zoom out with a roll', camera: { a: -0.03, b: 0.015, tx: -4, ty: 2 } },
    { name: 'no motion', camera: identity },
  ])('recovers the camera: $name', ({ camera }) => {
    const frame = renderScene({ width, height, camera });
    const found = estimateMotion(prepared, grayFromRgb(frame.rgb, width, height), identity);
    expect(found.a).toBeCloseTo(camera.a, 2);
    expect(found.b).toBeCloseTo(camera.b, 2);
    expect(Math.abs(found.tx - camera.tx)).toBeLessThan(0.5);
    expect(Math.abs(found.ty - camera.ty)).toBeLessThan(0.5);
  });

  it('is not pulled off by a head that moves on its own', () => {
    const camera = { a: 0.02, b: 0, tx: 3, ty: 1 };
    const frame = renderScene({ width, height, camera, headShift: [12, 0] });
    const found = estimateMotion(prepared, grayFromRgb(frame.rgb, width, height), identity);
    expect(Math.abs(found.tx - camera.tx)).toBeLessThan(1);
    expect(found.a).toBeCloseTo(camera.a, 2);
  });
});
