import type { Voice } from '../../../ports/speech-synthesizer.js';

export const espeakProvider = 'espeak-ng';

export interface EspeakVoice extends Voice {
  /** The `-v` argument: a language voice plus a variant. */
  readonly espeakVoice: string;
  readonly languages: readonly string[];
}

/**
 * The local voice gallery. Ids are stored in events and Telegram callback data, so they never
 * change meaning; add new ids rather than editing these, and keep `espeak-<language>-<m|f><n>`
 * (old events' languages are read from it). Only the variants every eSpeak NG build ships (m1–m7,
 * f1–f5) are used, so the npm WebAssembly build offers the same gallery; each language here is
 * spoken by both builds (`espeak-voices.test.ts`).
 *
 * Mandarin is `cmn-latn-pinyin`: eSpeak NG 1.51's plain `cmn` reads many characters as pinyin
 * with English tone numbers ("men five"); the pinyin voice reads them as Mandarin in every build.
 */
export const espeakVoices: readonly EspeakVoice[] = [
  voice('espeak-ru-m1', 'Алексей', 'ru', 'male', 'ru+m3'),
  voice('espeak-ru-m2', 'Борис', 'ru', 'male', 'ru+m1'),
  voice('espeak-ru-f1', 'Анна', 'ru', 'female', 'ru+f3'),
  voice('espeak-ru-f2', 'Вера', 'ru', 'female', 'ru+f4'),
  voice('espeak-en-m1', 'James (US)', 'en', 'male', 'en-us+m3'),
  voice('espeak-en-m2', 'Oliver (UK)', 'en', 'male', 'en-gb+m1'),
  voice('espeak-en-f1', 'Emily (US)', 'en', 'female', 'en-us+f2'),
  voice('espeak-en-f2', 'Charlotte (UK)', 'en', 'female', 'en-gb+f3'),
  voice('espeak-cmn-f1', '李娜 (普通话)', 'cmn', 'female', 'cmn-latn-pinyin+f3'),
  voice('espeak-cmn-m1', '王伟 (普通话)', 'cmn', 'male', 'cmn-latn-pinyin+m3'),
  voice('espeak-yue-f1', '美玲 (粵語)', 'yue', 'female', 'yue+f3'),
  voice('espeak-yue-m1', '志明 (粵語)', 'yue', 'male', 'yue+m3'),
  voice('espeak-es-f1', 'Lucía (ES)', 'es', 'female', 'es+f3'),
  voice('espeak-es-m1', 'Mateo (ES)', 'es', 'male', 'es+m3'),
  voice('espeak-de-f1', 'Hannah (DE)', 'de', 'female', 'de+f3'),
  voice('espeak-de-m1', 'Lukas (DE)', 'de', 'male', 'de+m3'),
  voice('espeak-fr-f1', 'Camille (FR)', 'fr', 'female', 'fr+f3'),
  voice('espeak-fr-m1', 'Louis (FR)', 'fr', 'male', 'fr+m3'),
  voice('espeak-pt-f1', 'Ana (BR)', 'pt', 'female', 'pt-br+f3'),
  voice('espeak-pt-m1', 'Pedro (BR)', 'pt', 'male', 'pt-br+m3'),
  voice('espeak-it-f1', 'Giulia (IT)', 'it', 'female', 'it+f3'),
  voice('espeak-it-m1', 'Marco (IT)', 'it', 'male', 'it+m3'),
];

/** What the gallery plays for each language: a sentence in that language. */
export const previewTexts: Readonly<Record<string, string>> = {
  ru: 'Привет! Я расскажу о вашем продукте так, что его захочется купить.',
  en: "Hi! I'll tell everyone about your product so they want to buy it.",
  cmn: '你好！我会介绍你的产品，让大家都想买。',
  yue: '你好！我會介紹你嘅產品，令大家都想買。',
  es: '¡Hola! Voy a hablar de tu producto para que todos quieran comprarlo.',
  de: 'Hallo! Ich erzähle allen von deinem Produkt, damit alle es kaufen wollen.',
  fr: 'Bonjour ! Je vais parler de votre produit pour que tout le monde ait envie de l’acheter.',
  pt: 'Olá! Vou falar do seu produto para que todos queiram comprá-lo.',
  it: 'Ciao! Racconterò a tutti il tuo prodotto, così vorranno comprarlo.',
};

export function previewTextFor(language: string): string {
  return previewTexts[language] ?? previewTexts.en ?? '';
}

export function findEspeakVoice(id: string): EspeakVoice | undefined {
  return espeakVoices.find((candidate) => candidate.id === id);
}

function voice(
  id: string,
  name: string,
  language: string,
  gender: 'male' | 'female',
  espeakVoice: string,
): EspeakVoice {
  return {
    id,
    name,
    language,
    languages: [language],
    gender,
    espeakVoice,
    provider: espeakProvider,
  };
}
