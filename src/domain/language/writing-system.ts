/**
 * The writing systems a script is told apart by. Letters only: digits, punctuation, emoji and
 * symbols say nothing about the language and are neutral.
 */
export type WritingSystem =
  | 'latin'
  | 'cyrillic'
  | 'greek'
  | 'han'
  | 'kana'
  | 'hangul'
  | 'arabic'
  | 'hebrew'
  | 'devanagari'
  | 'bengali'
  | 'tamil'
  | 'thai'
  | 'georgian'
  | 'armenian'
  | 'other';

// Hiragana and Katakana are one system here: Japanese mixes them in every sentence.
const systemPatterns: readonly (readonly [WritingSystem, RegExp])[] = [
  ['latin', /\p{Script=Latin}/u],
  ['cyrillic', /\p{Script=Cyrillic}/u],
  ['han', /\p{Script=Han}/u],
  ['kana', /[\p{Script=Hiragana}\p{Script=Katakana}]/u],
  ['hangul', /\p{Script=Hangul}/u],
  ['arabic', /\p{Script=Arabic}/u],
  ['hebrew', /\p{Script=Hebrew}/u],
  ['greek', /\p{Script=Greek}/u],
  ['devanagari', /\p{Script=Devanagari}/u],
  ['bengali', /\p{Script=Bengali}/u],
  ['tamil', /\p{Script=Tamil}/u],
  ['thai', /\p{Script=Thai}/u],
  ['georgian', /\p{Script=Georgian}/u],
  ['armenian', /\p{Script=Armenian}/u],
];

export function writingSystemOf(letter: string): WritingSystem {
  for (const [system, pattern] of systemPatterns) if (pattern.test(letter)) return system;
  return 'other';
}

/** Letters of the text by writing system; marks, digits, punctuation and emoji are not letters. */
export function lettersBySystem(text: string): ReadonlyMap<WritingSystem, string[]> {
  const letters = new Map<WritingSystem, string[]>();
  // The prolonged sound mark ー is Script=Common but only ever Japanese; counting it as kana keeps
  // a katakana brand name ("コーヒー") in one piece.
  for (const char of text.normalize('NFC')) {
    if (!/\p{L}/u.test(char)) continue;
    const system = char === 'ー' ? 'kana' : writingSystemOf(char);
    const list = letters.get(system);
    if (list) list.push(char);
    else letters.set(system, [char]);
  }
  return letters;
}
