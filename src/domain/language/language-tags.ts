import type { WritingSystem } from './writing-system.js';

/**
 * A language as an ISO 639 code: two letters where one exists, three otherwise. Chinese is split
 * into Mandarin (`cmn`) and Cantonese (`yue`) because they are spoken differently from the same
 * characters, and a voice speaks one of them.
 */
export type LanguageTag = string;

export const languageTagPattern = /^[a-z]{2,3}$/;

/**
 * The languages written in each writing system that the project's voices may speak (eSpeak NG's
 * and ElevenLabs' lists, see docs/voice-languages.md). A text in a writing system could be any of
 * them until its letters say more.
 */
export const languagesBySystem: Readonly<Record<WritingSystem, readonly LanguageTag[]>> = {
  latin: [
    'en',
    'es',
    'de',
    'fr',
    'pt',
    'it',
    'pl',
    'tr',
    'nl',
    'ro',
    'cs',
    'sk',
    'sv',
    'da',
    'no',
    'fi',
    'hu',
    'hr',
    'id',
    'ms',
    'fil',
    'ca',
    'vi',
  ],
  cyrillic: ['ru', 'uk', 'bg', 'be', 'sr', 'mk', 'kk'],
  greek: ['el'],
  han: ['cmn', 'yue'],
  kana: ['ja'],
  hangul: ['ko'],
  arabic: ['ar', 'fa', 'ur'],
  hebrew: ['he'],
  devanagari: ['hi', 'mr', 'ne'],
  bengali: ['bn'],
  tamil: ['ta'],
  thai: ['th'],
  georgian: ['ka'],
  armenian: ['hy'],
  other: [],
};

/** Whether a voice speaking `languages` speaks any language written in `system`. */
export const writesIn = (languages: readonly LanguageTag[], system: WritingSystem): boolean =>
  languages.some((language) => languagesBySystem[system].includes(language));
