import { beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedBinary } from '../binaries/resolved-binary.js';
import { requireEspeak } from '../../../testing/media/media-fixtures.js';
import { espeakWordPhonemes } from './espeak-phonemes.js';
import { wordMouthSounds } from './ipa-visemes.js';

let espeak: ResolvedBinary;
beforeAll(async () => {
  espeak = await requireEspeak();
}, 60_000);

describe('espeakWordPhonemes', () => {
  it('given words with punctuation, a number and a dash, when read by eSpeak NG, then one phoneme list per word, in order', async () => {
    const words = ['Meet', 'our', 'new', 'brew,', '2024', '—', 'buy!'];
    const phonemes = await espeakWordPhonemes(espeak, 'en-us', words);
    expect(phonemes).toHaveLength(words.length);
    expect(phonemes![0]!.join('').replace(/ˈ/gu, '')).toBe('miːt');
    expect(wordMouthSounds(phonemes![0]!)[0]?.viseme).toBe('mbp');
    // A number is read as its words, all in its own list.
    expect(phonemes![4]!.length).toBeGreaterThan(8);
    // Nothing to say in a dash.
    expect(phonemes![5]).toEqual([]);
    expect(wordMouthSounds(phonemes![6]!).map((s) => s.viseme)).toEqual(['mbp', 'aa', 'ee']);
  }, 60_000);

  it('given Russian words, when read, then their bilabials and vowels come out in IPA', async () => {
    const phonemes = await espeakWordPhonemes(espeak, 'ru', ['Купите', 'молоко!']);
    expect(wordMouthSounds(phonemes![0]!).filter((s) => s.bilabial)).toHaveLength(1);
    expect(wordMouthSounds(phonemes![1]!).map((s) => s.viseme)[0]).toBe('mbp');
  }, 60_000);
});
