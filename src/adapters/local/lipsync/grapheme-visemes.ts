import type { MouthSound } from './ipa-visemes.js';

const letterSounds: ReadonlyArray<readonly [RegExp, MouthSound]> = [
  [/[pbmпбм]/iu, { viseme: 'mbp', weight: 0.6, bilabial: true }],
  [/[fvфв]/iu, { viseme: 'fv', weight: 0.8, bilabial: false }],
  [/[lл]/iu, { viseme: 'l', weight: 0.55, bilabial: false }],
  [/[wу]/iu, { viseme: 'oo', weight: 1, bilabial: false }],
  [/[aаяä]/iu, { viseme: 'aa', weight: 1, bilabial: false }],
  [/[eiyеэиыіéè]/iu, { viseme: 'ee', weight: 1, bilabial: false }],
  [/[oоёóô]/iu, { viseme: 'oh', weight: 1, bilabial: false }],
  [/[uюüú]/iu, { viseme: 'oo', weight: 1, bilabial: false }],
];

/**
 * Mouth shapes from a word's letters, for a word eSpeak NG could not phonemise: rough Latin and
 * Cyrillic rules, and for any other script an open-close rhythm of one syllable per letter.
 */
export function graphemeMouthSounds(word: string): MouthSound[] {
  const sounds: MouthSound[] = [];
  for (const letter of word.normalize('NFC')) {
    if (!/\p{L}/u.test(letter)) continue;
    const known = letterSounds.find(([pattern]) => pattern.test(letter));
    if (known) sounds.push(known[1]);
    else if (/[\p{Script=Latin}\p{Script=Cyrillic}]/u.test(letter))
      sounds.push({ viseme: 'etc', weight: 0.7, bilabial: false });
    else
      sounds.push(
        { viseme: 'etc', weight: 0.5, bilabial: false },
        { viseme: 'eh', weight: 1, bilabial: false },
      );
  }
  return sounds;
}
