import { describe, expect, it } from 'vitest';
import type { MouthSound } from './ipa-visemes.js';
import { alignToLoudness } from './loudness-alignment.js';

const sound = (viseme: MouthSound['viseme'], weight = 1): MouthSound => ({
  viseme,
  weight,
  bilabial: viseme === 'mbp',
});

describe('alignToLoudness', () => {
  it('given "ma-ma" whose vowels are heard late, when aligned, then each vowel lands on its loud stretch', () => {
    // 10 ms steps: quiet 0–9, loud 10–19, quiet 20–29, loud 30–39 (a speaker who holds the m's).
    const envelope = [
      ...Array(10).fill(0.1),
      ...Array(10).fill(1),
      ...Array(10).fill(0.1),
      ...Array(10).fill(1),
    ];
    const lengths = alignToLoudness(
      [sound('mbp', 0.6), sound('aa'), sound('mbp', 0.6), sound('aa')],
      envelope,
    )!;
    expect(lengths.reduce((a, b) => a + b, 0)).toBe(40);
    const starts = lengths.map((_, i) => lengths.slice(0, i).reduce((a, b) => a + b, 0));
    expect(Math.abs(starts[1]! - 10)).toBeLessThanOrEqual(1);
    expect(Math.abs(starts[3]! - 30)).toBeLessThanOrEqual(1);
  });

  it('given flat loudness, when aligned, then the sounds keep lengths near their weights', () => {
    const lengths = alignToLoudness(
      [sound('etc', 0.5), sound('aa', 1), sound('etc', 0.5)],
      Array(40).fill(0.6),
    )!;
    expect(lengths[1]).toBeGreaterThan(lengths[0]!);
    expect(lengths[1]).toBeGreaterThan(lengths[2]!);
  });

  it('given fewer steps than sounds, when aligned, then it declines (proportional placement stands)', () => {
    expect(alignToLoudness([sound('mbp'), sound('aa'), sound('mbp')], [1, 1])).toBeUndefined();
    expect(alignToLoudness([], [1, 1])).toBeUndefined();
  });
});
