import { describe, expect, it } from 'vitest';
import { planOverlay } from './overlay-layout.js';

const portrait = { width: 1080, height: 1920 };

describe('planOverlay', () => {
  it.each(['circle', 'rounded_rect', 'cutout'] as const)(
    'keeps the %s on the frame with captions above it',
    (shape) => {
      for (const subject of [
        undefined,
        { x: 0.2, y: 0.55, width: 0.6, height: 0.45 },
        { x: 0, y: 0, width: 1, height: 0.9 },
      ]) {
        const plan = planOverlay(shape, portrait, subject);
        expect(plan.x).toBeGreaterThanOrEqual(0);
        expect(plan.y).toBeGreaterThanOrEqual(0);
        expect(plan.x + plan.width).toBeLessThanOrEqual(1080);
        expect(plan.y + plan.height).toBeLessThanOrEqual(1920);
        expect(
          1920 - plan.captionMarginBottom,
          'caption baseline above the head box or its head',
        ).toBeLessThan(shape === 'cutout' ? 1920 : plan.y);
        expect(plan.captionMarginBottom).toBeLessThan(1920);
        if (plan.crop) {
          expect(plan.crop.x).toBeGreaterThanOrEqual(0);
          expect(plan.crop.y).toBeGreaterThanOrEqual(0);
          expect(plan.crop.x + plan.crop.width).toBeLessThanOrEqual(portrait.width);
          expect(plan.crop.y + plan.crop.height).toBeLessThanOrEqual(portrait.height);
          expect(plan.crop.width / plan.crop.height).toBeCloseTo(plan.width / plan.height, 1);
        }
      }
    },
  );

  it('frames the circle on the person the segmenter found', () => {
    const low = planOverlay('circle', portrait, { x: 0.2, y: 0.55, width: 0.6, height: 0.45 });
    const high = planOverlay('circle', portrait, { x: 0.2, y: 0.1, width: 0.6, height: 0.8 });
    expect(low.crop!.y).toBeGreaterThan(high.crop!.y);
    // Top of the crop a little above the top of the head.
    expect(low.crop!.y).toBeLessThan(0.55 * 1920);
    expect(low.crop!.y + low.crop!.height).toBeGreaterThan(0.55 * 1920);
  });

  it('keeps the cut-out at the head video aspect, standing on the bottom edge', () => {
    const plan = planOverlay('cutout', portrait);
    expect(plan.y + plan.height).toBe(1920);
    expect(plan.width / plan.height).toBeCloseTo(1080 / 1920, 2);
  });
});
