import { languagesBySystem, type LanguageTag } from './language-tags.js';
import { lettersBySystem, type WritingSystem } from './writing-system.js';

/** One writing system of a script, and which languages its letters may be. */
export interface ScriptPart {
  /** Japanese is `kana` (its kanji included), Korean `hangul`, Chinese `han`. */
  readonly system: WritingSystem;
  readonly letters: number;
  /** A voice that speaks any of these reads this part; empty when no language is known for it. */
  readonly possible: readonly LanguageTag[];
  /** The best guess, for ordering the gallery and naming the language to the user. */
  readonly likely: LanguageTag;
  /** True when the letters point at `likely` itself, not only at its writing system. */
  readonly identified: boolean;
}

export interface ScriptLanguage {
  /**
   * What a voice must be able to say, the largest part first; empty when there are no letters.
   * Latin letters inside another writing system (a brand, a model name) are not a part of their
   * own: every voice the project offers reads Latin words (eSpeak NG switches to English for them).
   */
  readonly parts: readonly ScriptPart[];
}

/** Language of a script, from its letters alone: pure, no statistics beyond counting. */
export function detectScriptLanguage(text: string): ScriptLanguage {
  const bySystem = new Map(lettersBySystem(text));
  // Kanji belong to Japanese and hanja to Korean once kana or hangul show which one it is.
  const han = bySystem.get('han');
  const host = bySystem.has('kana') ? 'kana' : bySystem.has('hangul') ? 'hangul' : undefined;
  if (han && host) {
    bySystem.get(host)?.push(...han);
    bySystem.delete('han');
  }
  // Greek letters standing alone are symbols (π, Ω, α-tocopherol) that every engine names; only
  // Greek words are Greek.
  if (bySystem.has('greek') && !/\p{Script=Greek}{2}/u.test(text.normalize('NFC')))
    bySystem.delete('greek');
  if (bySystem.size > 1) bySystem.delete('latin');
  const parts = [...bySystem].map(([system, letters]) => partOf(system, letters, text));
  return { parts: parts.sort((a, b) => b.letters - a.letters) };
}

/** The best single guess for the whole text, or undefined when it has no letters. */
export const likelyLanguage = (detection: ScriptLanguage): LanguageTag | undefined =>
  detection.parts[0]?.likely;

function partOf(system: WritingSystem, letters: readonly string[], text: string): ScriptPart {
  const possible = languagesBySystem[system];
  const base = { system, letters: letters.length, possible };
  switch (system) {
    case 'latin':
      return latinPart(base, text);
    case 'cyrillic':
      return guessed(base, cyrillicGuess(letters), 'ru');
    case 'han':
      return hanPart(base, letters);
    case 'arabic':
      return guessed(
        base,
        /[ٹڈڑںے]/u.test(text) ? 'ur' : /[پچژگکی]/u.test(text) ? 'fa' : undefined,
        'ar',
      );
    default:
      return { ...base, likely: possible[0] ?? 'und', identified: possible.length === 1 };
  }
}

type Base = Pick<ScriptPart, 'system' | 'letters' | 'possible'>;

const guessed = (
  base: Base,
  guess: LanguageTag | undefined,
  fallback: LanguageTag,
): ScriptPart => ({
  ...base,
  likely: guess ?? fallback,
  identified: guess !== undefined,
});

// Letters that belong to one Cyrillic language only (Ukrainian ї є ґ, Belarusian ў, Serbian and
// Macedonian ђ ћ џ љ њ ј ѓ ќ ѕ, Kazakh ә ғ қ ң ө ұ ү һ).
const cyrillicMarkers: readonly (readonly [LanguageTag, RegExp])[] = [
  ['uk', /[їєґ]/iu],
  ['be', /[ў]/iu],
  ['sr', /[ђћ]/iu],
  ['mk', /[ѓќѕ]/iu],
  ['kk', /[әғқңөұүһ]/iu],
];

function cyrillicGuess(letters: readonly string[]): LanguageTag | undefined {
  const text = letters.join('');
  for (const [language, marker] of cyrillicMarkers) if (marker.test(text)) return language;
  // і without ы, э, ё, ъ: Ukrainian (Russian has none of і; Ukrainian none of the four).
  if (/і/iu.test(text) && !/[ыэёъ]/iu.test(text)) return 'uk';
  if (/[ыэё]/iu.test(text)) return 'ru';
  return undefined;
}

// Characters of written Cantonese that standard (Mandarin) written Chinese does not use.
const cantoneseMarkers = /[嘅咗喺哋冇嘢啲佢嗰睇嚟噉攞諗乜咩嘥揾搵]/gu;

function hanPart(base: Base, letters: readonly string[]): ScriptPart {
  const markers = letters.join('').match(cantoneseMarkers)?.length ?? 0;
  // Two or more: written Cantonese, which a Mandarin voice would read word by word in the wrong
  // language. One may be a quotation or a name, so Mandarin stays possible.
  if (markers >= 2) return { ...base, possible: ['yue'], likely: 'yue', identified: true };
  return { ...base, likely: markers === 1 ? 'yue' : 'cmn', identified: markers === 1 };
}

// Vietnamese letters with stacked marks: no other language writes them, and engines that do not
// speak Vietnamese spell them out letter by letter.
const vietnamese = /[ơưđạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/iu;

// Evidence for the likely Latin language: letters few languages use, and their commonest short
// words. It only orders the gallery; it never refuses, because a short text may be any of them.
const latinLetters: Readonly<Record<LanguageTag, RegExp>> = {
  es: /[ñ¿¡]/giu,
  de: /[ßäöü]/giu,
  fr: /[œçèêëîïûùÿâ]/giu,
  pt: /[ãõçâêô]/giu,
  // è is French too, but Italian's commonest word ("is"): without it, Italian reads as French.
  it: /[ìòùè]/giu,
  pl: /[ąęłśźżćń]/giu,
  tr: /[ğışçöü]/giu,
  ro: /[ășțşţ]/giu,
  cs: /[řůěčšž]/giu,
};

const latinWords: Readonly<Record<LanguageTag, ReadonlySet<string>>> = {
  en: new Set([
    'the',
    'and',
    'you',
    'your',
    'is',
    'are',
    'our',
    'with',
    'for',
    'this',
    'it',
    'now',
    'new',
    'get',
    'of',
    'to',
  ]),
  es: new Set([
    'el',
    'la',
    'los',
    'las',
    'que',
    'y',
    'de',
    'en',
    'con',
    'para',
    'tu',
    'es',
    'un',
    'una',
    'nuestro',
    'ahora',
    'por',
  ]),
  de: new Set([
    'der',
    'die',
    'das',
    'und',
    'ist',
    'mit',
    'für',
    'nicht',
    'ein',
    'eine',
    'jetzt',
    'sie',
    'wir',
    'unser',
    'ihr',
    'zu',
  ]),
  fr: new Set([
    'le',
    'la',
    'les',
    'et',
    'est',
    'avec',
    'pour',
    'vous',
    'votre',
    'nous',
    'un',
    'une',
    'des',
    'du',
    'au',
    'ce',
  ]),
  pt: new Set([
    'o',
    'os',
    'as',
    'e',
    'é',
    'com',
    'para',
    'você',
    'não',
    'um',
    'uma',
    'do',
    'da',
    'nosso',
    'agora',
    'seu',
  ]),
  it: new Set([
    'il',
    'lo',
    'gli',
    'e',
    'è',
    'con',
    'per',
    'che',
    'non',
    'un',
    'una',
    'del',
    'della',
    'nostro',
    'ora',
    'di',
  ]),
  pl: new Set(['i', 'w', 'z', 'na', 'to', 'jest', 'nie', 'się', 'dla', 'nasz', 'teraz']),
  tr: new Set(['ve', 'bir', 'bu', 'için', 'ile', 'çok', 'şimdi', 'yeni']),
  nl: new Set(['de', 'het', 'een', 'en', 'van', 'is', 'met', 'voor', 'niet', 'nu', 'onze', 'jij']),
};

function latinPart(base: Base, text: string): ScriptPart {
  if (vietnamese.test(text)) return { ...base, possible: ['vi'], likely: 'vi', identified: true };
  const possible = base.possible.filter((language) => language !== 'vi');
  const scores = new Map<LanguageTag, number>();
  const add = (language: LanguageTag, points: number) =>
    scores.set(language, (scores.get(language) ?? 0) + points);
  for (const [language, letters] of Object.entries(latinLetters))
    add(language, 2 * (text.match(letters)?.length ?? 0));
  for (const word of text.toLowerCase().match(/\p{L}+/gu) ?? []) {
    for (const [language, words] of Object.entries(latinWords))
      if (words.has(word)) add(language, 1);
  }
  const ranked = [...scores].filter(([, score]) => score > 0).sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  const identified =
    best !== undefined && best[1] >= 3 && (second === undefined || best[1] >= 2 * second[1]);
  return { ...base, possible, likely: best?.[0] ?? 'en', identified };
}
