import type { Viseme } from '../../../catalog/portraits/viseme.js';
import type { MouthSound } from './ipa-visemes.js';

/** The loudness envelope is read at this rate for placing sounds (10 ms steps). */
export const envelopeRate = 100;

// How loud each shape's sounds usually are, relative to the speech's loud vowels: vowels carry
// the voice, stops and fricatives little of it.
const typicalLevel: Readonly<Record<Viseme, number>> = {
  aa: 1,
  eh: 0.9,
  oh: 0.9,
  ee: 0.8,
  oo: 0.7,
  l: 0.55,
  etc: 0.35,
  th: 0.3,
  fv: 0.3,
  mbp: 0.3,
  rest: 0,
};

// Weight of keeping each sound near its typical length against following the loudness.
const durationWeight = 6;

/**
 * Moves the boundaries between a word's sounds onto its loudness: vowels onto the loud stretches,
 * consonants onto the quiet ones between, each sound kept near its typical length (a monotonic
 * alignment by dynamic programming over 10 ms steps). `envelope` is the word's loudness, one value
 * per step, relative to the speech's usual level. Returns each sound's length in steps, or
 * undefined when the word has fewer steps than sounds (then proportional placement stands).
 */
export function alignToLoudness(
  sounds: readonly MouthSound[],
  envelope: readonly number[],
): number[] | undefined {
  const k = sounds.length;
  const n = envelope.length;
  if (k === 0 || n < k) return undefined;
  const totalWeight = sounds.reduce((sum, s) => sum + s.weight, 0);
  const expected = sounds.map((s) => Math.max(0.5, (n * s.weight) / totalWeight));
  // prefix[j][i]: the squared error of steps [0, j) against sound i's level, summed.
  const prefix = sounds.map((sound) => {
    const level = typicalLevel[sound.viseme];
    const sums = [0];
    for (let j = 0; j < n; j++) sums.push(sums[j]! + (Math.min(1.5, envelope[j]!) - level) ** 2);
    return sums;
  });
  const cost: number[][] = Array.from({ length: k + 1 }, () =>
    new Array<number>(n + 1).fill(Number.POSITIVE_INFINITY),
  );
  const from: number[][] = Array.from({ length: k + 1 }, () => new Array<number>(n + 1).fill(-1));
  cost[0]![0] = 0;
  for (let i = 1; i <= k; i++) {
    const d = expected[i - 1]!;
    const longest = Math.min(n, Math.ceil(d * 3) + 2);
    const sums = prefix[i - 1]!;
    for (let j = i; j <= n - (k - i); j++) {
      let best = Number.POSITIVE_INFINITY;
      let bestStart = -1;
      for (let length = 1; length <= Math.min(longest, j - (i - 1)); length++) {
        const start = j - length;
        const previous = cost[i - 1]![start]!;
        if (previous === Number.POSITIVE_INFINITY) continue;
        const value =
          previous + sums[j]! - sums[start]! + durationWeight * Math.log(length / d) ** 2;
        if (value < best) {
          best = value;
          bestStart = start;
        }
      }
      cost[i]![j] = best;
      from[i]![j] = bestStart;
    }
  }
  if (cost[k]![n] === Number.POSITIVE_INFINITY) return undefined;
  const lengths: number[] = new Array<number>(k).fill(0);
  let j = n;
  for (let i = k; i >= 1; i--) {
    const start = from[i]![j]!;
    lengths[i - 1] = j - start;
    j = start;
  }
  return lengths;
}
