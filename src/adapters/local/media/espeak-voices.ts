import type { Voice } from '../../../ports/speech-synthesizer.js';

export const espeakProvider = 'espeak-ng';

export interface EspeakVoice extends Voice {
  /** The `-v` argument: a language voice plus a variant. */
  readonly espeakVoice: string;
}

/**
 * The local voice gallery. Ids are stored in events and Telegram callback data, so they never
 * change meaning; add new ids rather than editing these. Only the variants every eSpeak NG build
 * ships (m1–m7, f1–f5) are used, so the npm WebAssembly build offers the same gallery.
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
];

/** What the gallery plays for each language. */
export const previewTexts: Readonly<Record<'ru' | 'en', string>> = {
  ru: 'Привет! Я расскажу о вашем продукте так, что его захочется купить.',
  en: "Hi! I'll tell everyone about your product so they want to buy it.",
};

export function findEspeakVoice(id: string): EspeakVoice | undefined {
  return espeakVoices.find((candidate) => candidate.id === id);
}

function voice(id: string, name: string, language: 'ru' | 'en', gender: 'male' | 'female', espeakVoice: string): EspeakVoice {
  return { id, name, language, gender, espeakVoice, provider: espeakProvider };
}
