import { describe, expect, it } from 'vitest';
import { findSpeechSpans, soundingSeconds } from './speech-activity.js';

const rate = 8000;
function signal(parts: readonly [seconds: number, loud: boolean][]): Int16Array {
  const out: number[] = [];
  for (const [seconds, loud] of parts) {
    for (let i = 0; i < Math.round(seconds * rate); i++)
      out.push(loud ? Math.round(Math.sin(i / 3) * 8000) : 0);
  }
  return Int16Array.from(out);
}

describe('findSpeechSpans', () => {
  it('finds sounding spans and bridges short closures', () => {
    const spans = findSpeechSpans(
      signal([
        [0.1, false],
        [0.3, true],
        [0.03, false], // a stop consonant: bridged
        [0.2, true],
        [0.25, false], // a pause
        [0.4, true],
        [0.1, false],
      ]),
      rate,
    );
    expect(spans).toHaveLength(2);
    expect(spans[0]!.start).toBeCloseTo(0.1, 2);
    expect(spans[0]!.end).toBeCloseTo(0.63, 2);
    expect(spans[1]!.start).toBeCloseTo(0.88, 2);
    expect(spans[1]!.end).toBeCloseTo(1.28, 2);
    expect(soundingSeconds(spans)).toBeCloseTo(0.93, 2);
  });

  it('returns nothing for silence', () => {
    expect(findSpeechSpans(new Int16Array(8000), rate)).toEqual([]);
  });
});
