import type { Language } from '../../domain/events/values.js';
import { en } from './en.js';
import { ru } from './ru.js';

/**
 * The typed key set: English defines it, Russian must match it exactly (a missing or extra key is
 * a compile error in `ru.ts`), and parameters must agree in type.
 */
export type Messages = {
  readonly [K in keyof typeof en]: (typeof en)[K] extends (...args: infer A) => string
    ? (...args: A) => string
    : string;
};

export const messages: Readonly<Record<Language, Messages>> = { en, ru };

export const t = (language: Language): Messages => messages[language];

/** Telegram's `language_code` → ours: Russian for ru/uk/be speakers, English for everyone else. */
export function languageFromCode(code: string | undefined): Language {
  const base = (code ?? '').toLowerCase().split(/[-_]/)[0];
  return base === 'ru' || base === 'uk' || base === 'be' ? 'ru' : 'en';
}

export type { Language };
