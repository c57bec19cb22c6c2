import { describe, expect, it } from 'vitest';
import { planOverlay } from '../compositor/overlay-layout.js';
import { shapeBox } from '../matte/overlay-shape-geometry.js';
import { frameOnOutput, placeOverlay } from './overlay-placement.js';
import { boundingBox } from './visible-box.js';

describe('placeOverlay', () => {
  it('puts the measured circle exactly where the compositor puts its circle', () => {
    const plan = planOverlay('circle', { width: 1080, height: 1920 });
    // The overlay maker drew its circle somewhere else than the plan's crop: it still lands on the
    // plan's box.
    const placement = placeOverlay(
      'circle',
      { width: 1080, height: 1920 },
      { x: 100, y: 300, width: 800, height: 800 },
    );
    expect(placement.target).toEqual({
      x: plan.x,
      y: plan.y,
      width: plan.width,
      height: plan.height,
    });
    expect(placement.scale).toBeCloseTo(620 / 800, 6);
    const frame = frameOnOutput(placement);
    expect(frame.x).toBeCloseTo(plan.x - 100 * placement.scale, 6);
    expect(frame.y).toBeCloseTo(plan.y - 300 * placement.scale, 6);
  });

  it('letterboxes a rectangle of another aspect inside the plan box instead of stretching it', () => {
    const plan = planOverlay('rounded_rect', { width: 540, height: 960 });
    const placement = placeOverlay(
      'rounded_rect',
      { width: 540, height: 960 },
      { x: 0, y: 0, width: 540, height: 540 },
    );
    expect(placement.target.width).toBe(placement.target.height);
    expect(placement.target.width).toBe(plan.width);
    expect(placement.target.y).toBeGreaterThan(plan.y);
    expect(placement.target.y + placement.target.height).toBeLessThan(plan.y + plan.height);
  });

  it('takes the shared overlay geometry without a measurement, and keeps the whole frame for the cut-out', () => {
    const { radius: _radius, ...box } = shapeBox('circle', 540, 960);
    expect(placeOverlay('circle', { width: 540, height: 960 }).source).toEqual(box);
    const cutout = placeOverlay('cutout', { width: 540, height: 960 });
    expect(cutout.source).toEqual({ x: 0, y: 0, width: 540, height: 960 });
    expect(cutout.target.y + cutout.target.height).toBe(1920);
    expect(cutout.scale).toBeCloseTo(1240 / 960, 6);
  });
});

describe('boundingBox', () => {
  it('finds the bright pixels and nothing else', () => {
    const width = 10;
    const gray = new Uint8Array(width * 8);
    gray[2 * width + 3] = 255;
    gray[5 * width + 7] = 200;
    gray[6 * width + 1] = 100; // below half: not visible
    expect(boundingBox(gray, width, 8)).toEqual({ x: 3, y: 2, width: 5, height: 4 });
    expect(boundingBox(new Uint8Array(80), width, 8)).toBeUndefined();
  });
});
