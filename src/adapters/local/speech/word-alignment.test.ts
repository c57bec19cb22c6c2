import { describe, expect, it } from 'vitest';
import { alignWords } from './word-alignment.js';

describe('alignWords', () => {
  it('snaps word boundaries onto real pauses and shares sounding time by duration', () => {
    const timings = alignWords({
      words: ['Привет,', 'мир!', 'Это', 'тест.'],
      wordSoundingSec: [0.45, 0.25, 0.2, 0.3],
      // A pause after "Привет," and one after "мир!"; "Это тест." is one continuous span.
      spans: [
        { start: 0.05, end: 0.5 },
        { start: 0.65, end: 0.9 },
        { start: 1.3, end: 1.8 },
      ],
      audioDurationSec: 2,
    });
    expect(timings.map((t) => t.word)).toEqual(['Привет,', 'мир!', 'Это', 'тест.']);
    expect(timings[0]).toEqual({ word: 'Привет,', start: 0.05, end: 0.5 });
    expect(timings[1]).toEqual({ word: 'мир!', start: 0.65, end: 0.9 });
    expect(timings[2]!.start).toBe(1.3);
    expect(timings[2]!.end).toBeCloseTo(1.5, 2);
    expect(timings[3]).toMatchObject({ end: 1.8 });
  });

  it('does not snap to a pause that is far from any word boundary', () => {
    const timings = alignWords({
      words: ['one', 'two'],
      wordSoundingSec: [1, 1],
      spans: [
        { start: 0, end: 0.2 },
        { start: 0.3, end: 2.1 },
      ],
      audioDurationSec: 2.1,
    });
    expect(timings[0]!.end).toBeCloseTo(1.1, 2);
    expect(timings[1]!.start).toBeCloseTo(1.1, 2);
  });

  it('stays monotonic for any durations and spans', () => {
    for (let seed = 1; seed < 200; seed++) {
      const random = mulberry32(seed);
      const count = 1 + Math.floor(random() * 12);
      const spans = [];
      let t = random() * 0.3;
      for (let i = 0; i < 1 + Math.floor(random() * 6); i++) {
        const start = t;
        t += 0.05 + random();
        spans.push({ start, end: t });
        t += random() * 0.5;
      }
      const timings = alignWords({
        words: Array.from({ length: count }, (_, i) => `w${i}`),
        wordSoundingSec: Array.from({ length: count }, () => (random() < 0.1 ? 0 : random())),
        spans,
        audioDurationSec: t + 0.2,
      });
      expect(timings[0]!.start).toBeCloseTo(spans[0]!.start, 3);
      expect(timings.at(-1)!.end).toBeCloseTo(spans.at(-1)!.end, 3);
      for (let i = 0; i < timings.length; i++) {
        expect(timings[i]!.end).toBeGreaterThanOrEqual(timings[i]!.start);
        if (i > 0) expect(timings[i]!.start).toBeGreaterThanOrEqual(timings[i - 1]!.end);
      }
    }
  });

  it('spreads words over the whole audio when it has no detectable speech', () => {
    const timings = alignWords({
      words: ['a', 'b'],
      wordSoundingSec: [1, 3],
      spans: [],
      audioDurationSec: 2,
    });
    expect(timings).toEqual([
      { word: 'a', start: 0, end: 0.5 },
      { word: 'b', start: 0.5, end: 2 },
    ]);
  });
});

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
