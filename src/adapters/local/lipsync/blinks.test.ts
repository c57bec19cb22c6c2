import { describe, expect, it } from 'vitest';
import { blinkStates } from './blinks.js';

describe('blinkStates', () => {
  it('given a 60 s clip, when scheduled, then blinks of about 150 ms come every 2–6 s, half-shut lids on the way down and up', () => {
    const fps = 30;
    const states = blinkStates(60 * fps, fps, 42);
    const starts: number[] = [];
    states.forEach((state, frame) => {
      if (state !== 'open' && states[frame - 1] === 'open') starts.push(frame);
    });
    expect(starts[0]!).toBeLessThanOrEqual(2.4 * fps + 1);
    const gaps = starts.slice(1).map((frame, i) => (frame - starts[i]!) / fps);
    expect(gaps.length).toBeGreaterThanOrEqual(9);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(2 - 1 / fps);
      expect(gap).toBeLessThanOrEqual(6 + 1 / fps);
    }
    expect(new Set(gaps.map((g) => g.toFixed(1))).size).toBeGreaterThan(3);
    expect(states.slice(starts[0], starts[0]! + 5)).toEqual([
      'half',
      'closed',
      'closed',
      'half',
      'open',
    ]);
  });

  it('given the same seed, when scheduled twice, then the blinks are the same; another seed blinks elsewhere', () => {
    expect(blinkStates(300, 30, 7)).toEqual(blinkStates(300, 30, 7));
    expect(blinkStates(300, 30, 7)).not.toEqual(blinkStates(300, 30, 8));
  });
});
