import type { WritingSystem } from '../../domain/language/writing-system.js';
import type { Language } from '../../domain/events/values.js';

// The platform's names, except where they hide the difference that matters here: Mandarin and
// Cantonese are both "Chinese" to Intl.
const overrides: Readonly<Record<Language, Readonly<Record<string, string>>>> = {
  en: { cmn: 'Mandarin Chinese', yue: 'Cantonese', multi: 'multilingual' },
  ru: { cmn: 'китайский (путунхуа)', yue: 'кантонский', multi: 'мультиязычный' },
};

const displayNames = new Map<Language, Intl.DisplayNames>();
// ICU's lookup costs microseconds and every voice page names each voice's language: the few tags
// there are get looked up once per interface language.
const named = new Map<string, string>();

/** A language's name in the user's language, lower-case in Russian as in running text. */
export function languageName(tag: string, ui: Language): string {
  const own = overrides[ui][tag];
  if (own) return own;
  const key = `${ui}|${tag}`;
  const known = named.get(key);
  if (known !== undefined) return known;
  let names = displayNames.get(ui);
  if (!names) {
    names = new Intl.DisplayNames([ui], { type: 'language', fallback: 'code' });
    displayNames.set(ui, names);
  }
  let name: string;
  try {
    name = names.of(tag) ?? tag;
  } catch {
    name = tag;
  }
  // Tags come from the voice catalogs; the bound only guards against an unexpected flood of them.
  if (named.size < 10_000) named.set(key, name);
  return name;
}

const systemNames: Readonly<Record<Language, Readonly<Record<WritingSystem, string>>>> = {
  en: {
    latin: 'Latin-script',
    cyrillic: 'Cyrillic',
    greek: 'Greek',
    han: 'Chinese',
    kana: 'Japanese',
    hangul: 'Korean',
    arabic: 'Arabic-script',
    hebrew: 'Hebrew',
    devanagari: 'Devanagari',
    bengali: 'Bengali',
    tamil: 'Tamil',
    thai: 'Thai',
    georgian: 'Georgian',
    armenian: 'Armenian',
    other: 'an unsupported script',
  },
  ru: {
    latin: 'латиница',
    cyrillic: 'кириллица',
    greek: 'греческий',
    han: 'китайский',
    kana: 'японский',
    hangul: 'корейский',
    arabic: 'арабское письмо',
    hebrew: 'иврит',
    devanagari: 'деванагари',
    bengali: 'бенгальский',
    tamil: 'тамильский',
    thai: 'тайский',
    georgian: 'грузинский',
    armenian: 'армянский',
    other: 'неподдерживаемое письмо',
  },
};

/** What the script is, said honestly: a language when its letters tell, else its writing system. */
export function scriptLanguageName(
  part: { readonly system: WritingSystem; readonly likely: string; readonly identified: boolean },
  ui: Language,
): string {
  return part.identified ? languageName(part.likely, ui) : systemNames[ui][part.system];
}

/** The languages of a voice, for a message: at most `max` (three) named, then "…". */
export function voiceLanguagesName(languages: readonly string[], ui: Language, max = 3): string {
  const named = languages.slice(0, max).map((tag) => languageName(tag, ui));
  return `${named.join(', ')}${languages.length > max ? ', …' : ''}`;
}
