import type { Viseme } from '../../../catalog/portraits/viseme.js';

/** One sound of a word, as the mouth shows it, and how long it lasts relative to its neighbours. */
export interface MouthSound {
  readonly viseme: Viseme;
  /** Relative duration: a plain vowel is 1. */
  readonly weight: number;
  /** Lips together (p, b, m): must be seen closed however short. */
  readonly bilabial: boolean;
}

// Marks eSpeak NG prints around IPA that change nothing the lips do: stress, length, tones
// (digits), palatalisation, aspiration, ties, syllabicity and nasalisation, language switches.
// Each combining mark is matched on its own, on purpose:
// eslint-disable-next-line no-misleading-character-class
const decorations = /\([a-z-]+\)|[ˈˌːˑʲʰʷ̩̯̃‍.\d-]/gu;

const vowels: Readonly<Record<string, Viseme>> = {
  i: 'ee',
  ɪ: 'ee',
  ɨ: 'ee',
  ɯ: 'ee',
  e: 'eh',
  ɛ: 'eh',
  æ: 'eh',
  ə: 'eh',
  ɜ: 'eh',
  ɚ: 'eh',
  ɝ: 'eh',
  ʌ: 'eh',
  ɤ: 'eh',
  ɘ: 'eh',
  a: 'aa',
  ɑ: 'aa',
  ɐ: 'aa',
  ɒ: 'aa',
  ä: 'aa',
  ɶ: 'aa',
  o: 'oh',
  ɔ: 'oh',
  œ: 'oh',
  ɞ: 'oh',
  u: 'oo',
  ʊ: 'oo',
  y: 'oo',
  ʏ: 'oo',
  ø: 'oo',
  ɵ: 'oo',
  ʉ: 'oo',
};

const consonants: Readonly<Record<string, Viseme>> = {
  p: 'mbp',
  b: 'mbp',
  m: 'mbp',
  ɓ: 'mbp',
  f: 'fv',
  v: 'fv',
  ʋ: 'fv',
  ɱ: 'fv',
  ɸ: 'fv',
  β: 'fv',
  θ: 'th',
  ð: 'th',
  l: 'l',
  ɫ: 'l',
  ɭ: 'l',
  ʎ: 'l',
  ɬ: 'l',
  ɮ: 'l',
  ʟ: 'l',
  w: 'oo',
  ʍ: 'oo',
  ɥ: 'oo',
};

// Relative lengths by manner: stops are brief, fricatives and nasals hold longer.
const stops = new Set(['p', 'b', 't', 'd', 'k', 'g', 'ɡ', 'ʔ', 'c', 'ɟ', 'q', 'ʈ', 'ɖ', 'ɾ']);
const nasals = new Set(['m', 'n', 'ŋ', 'ɲ', 'ɳ', 'ɴ', 'ɱ']);

/**
 * The mouth shapes of one eSpeak NG IPA phoneme (`--ipa --sep=_` prints them one by one). Any
 * language eSpeak NG speaks comes out in IPA, so one table covers them all. A diphthong moves
 * the mouth twice ("aʊ": open, then rounded); an affricate ("tʃ") is one consonant. Unknown
 * symbols say nothing (empty), so a phoneme the table misses cannot invent a shape.
 */
export function ipaMouthSounds(phoneme: string): MouthSound[] {
  const long = /[ːˑ]/u.test(phoneme);
  const bare = phoneme.normalize('NFD').replace(decorations, '').normalize('NFC');
  const letters = [...bare];
  const first = letters[0];
  if (first === undefined) return [];
  const vowelShapes = letters
    .map((letter) => vowels[letter])
    .filter((v): v is Viseme => v !== undefined);
  if (vowels[first]) {
    // A diphthong or triphthong: its parts share a long vowel's time.
    const share = (long ? 1.4 : 1) * (vowelShapes.length > 1 ? 1.6 / vowelShapes.length : 1);
    return vowelShapes.map((viseme) => ({ viseme, weight: share, bilabial: false }));
  }
  const viseme = consonants[first] ?? 'etc';
  const weight = stops.has(first) ? 0.55 : nasals.has(first) ? 0.7 : letters.length > 1 ? 0.8 : 0.8;
  const bilabial = viseme === 'mbp';
  // A syllabic or vowel-coloured consonant ("ɹ̩", "l̩") is still one shape.
  return [{ viseme, weight, bilabial }];
}

/** Every sound of a word from eSpeak NG's phonemes, in order. */
export function wordMouthSounds(phonemes: readonly string[]): MouthSound[] {
  return phonemes.flatMap(ipaMouthSounds);
}
