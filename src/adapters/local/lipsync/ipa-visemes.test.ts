import { describe, expect, it } from 'vitest';
import { graphemeMouthSounds } from './grapheme-visemes.js';
import { ipaMouthSounds, wordMouthSounds } from './ipa-visemes.js';

const shapes = (phonemes: readonly string[]) => wordMouthSounds(phonemes).map((s) => s.viseme);

describe('ipaMouthSounds: eSpeak NG IPA phonemes to mouth shapes', () => {
  it('given the bilabials p, b, m (any stress or length mark), when mapped, then the lips close and it is marked bilabial', () => {
    for (const phoneme of ['p', 'b', 'm', 'ˈm', 'mʲ', 'pʰ', 'bʲ']) {
      expect(ipaMouthSounds(phoneme), phoneme).toEqual([
        expect.objectContaining({ viseme: 'mbp', bilabial: true }),
      ]);
    }
  });

  it('given labiodentals, dentals and laterals, when mapped, then f/v, th and l shapes', () => {
    expect(shapes(['f', 'v', 'vʲ', 'ʋ'])).toEqual(['fv', 'fv', 'fv', 'fv']);
    expect(shapes(['θ', 'ð'])).toEqual(['th', 'th']);
    expect(shapes(['l', 'ɫ', 'ɭ', 'ʎ'])).toEqual(['l', 'l', 'l', 'l']);
  });

  it('given vowels, when mapped, then open, wide and rounded shapes by their quality', () => {
    expect(shapes(['ˈa', 'ɑː', 'ɐ'])).toEqual(['aa', 'aa', 'aa']);
    expect(shapes(['ˈiː', 'ɪ', 'i'])).toEqual(['ee', 'ee', 'ee']);
    expect(shapes(['e', 'ɛ', 'ə', 'ʌ', 'ɚ'])).toEqual(['eh', 'eh', 'eh', 'eh', 'eh']);
    expect(shapes(['ˈo', 'ɔ'])).toEqual(['oh', 'oh']);
    expect(shapes(['uː', 'ʊ', 'y', 'ø', 'w'])).toEqual(['oo', 'oo', 'oo', 'oo', 'oo']);
  });

  it('given a diphthong, when mapped, then the mouth moves through both vowels and they share a long vowel', () => {
    const sounds = ipaMouthSounds('ˈaʊ');
    expect(sounds.map((s) => s.viseme)).toEqual(['aa', 'oo']);
    expect(sounds.reduce((sum, s) => sum + s.weight, 0)).toBeCloseTo(1.6);
    expect(shapes(['ˌeɪ'])).toEqual(['eh', 'ee']);
  });

  it('given other consonants, affricates and tone digits, when mapped, then the teeth-together shape and no shape for marks alone', () => {
    expect(shapes(['t', 'ts.h', 'tʃ', 'k', 's', 'ɹ', 'x', 'j'])).toEqual([
      'etc',
      'etc',
      'etc',
      'etc',
      'etc',
      'etc',
      'etc',
      'etc',
    ]);
    // Mandarin from eSpeak NG: tones are digits after the vowel.
    expect(shapes(['χ', 'ˈɑu2'])).toEqual(['etc', 'aa', 'oo']);
    expect(ipaMouthSounds('(en)')).toEqual([]);
    expect(ipaMouthSounds('ˈ')).toEqual([]);
  });

  it('given an English and a Russian word as eSpeak NG prints them, when mapped, then p/b/m close the lips where they are said', () => {
    // "Meet" m_ˈiː_t, "привет" p_r_i_vʲ_ˈe_t, "молоко" m_ʌ_ɭ_ʌ_k_ˈo
    expect(shapes(['m', 'ˈiː', 't'])).toEqual(['mbp', 'ee', 'etc']);
    expect(shapes(['p', 'r', 'i', 'vʲ', 'ˈe', 't'])).toEqual([
      'mbp',
      'etc',
      'ee',
      'fv',
      'eh',
      'etc',
    ]);
    expect(shapes(['m', 'ʌ', 'ɭ', 'ʌ', 'k', 'ˈo'])).toEqual(['mbp', 'eh', 'l', 'eh', 'etc', 'oh']);
  });

  it('given a long vowel, when mapped, then it lasts longer than a short one, and a stop is shortest', () => {
    const [long] = ipaMouthSounds('ˈiː');
    const [short] = ipaMouthSounds('ɪ');
    const [stop] = ipaMouthSounds('t');
    expect(long!.weight).toBeGreaterThan(short!.weight);
    expect(stop!.weight).toBeLessThan(short!.weight);
  });
});

describe('graphemeMouthSounds: letters, when eSpeak NG cannot read a word', () => {
  it('given Latin and Cyrillic words, when read by letter, then bilabials close and vowels open', () => {
    expect(graphemeMouthSounds('Mama').map((s) => s.viseme)).toEqual(['mbp', 'aa', 'mbp', 'aa']);
    expect(graphemeMouthSounds('мыло').map((s) => s.viseme)).toEqual(['mbp', 'ee', 'l', 'oh']);
    expect(graphemeMouthSounds('buy!').filter((s) => s.bilabial)).toHaveLength(1);
  });

  it('given another script, when read by letter, then a syllable per letter opens and closes the mouth', () => {
    expect(graphemeMouthSounds('你好').map((s) => s.viseme)).toEqual(['etc', 'eh', 'etc', 'eh']);
    expect(graphemeMouthSounds('2024 —')).toEqual([]);
  });
});
