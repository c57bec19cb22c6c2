import { detectScriptLanguage, likelyLanguage } from '../../../domain/language/index.js';
import { findEspeakVoice } from '../speech/espeak-voices.js';

// eSpeak NG's names for languages whose plain code it reads differently (see espeak-voices.ts).
const espeakNames: Readonly<Record<string, string>> = {
  en: 'en-us',
  cmn: 'cmn-latn-pinyin',
  zh: 'cmn-latn-pinyin',
  pt: 'pt-br',
};

/**
 * The eSpeak NG voice that reads a script as it was spoken, for its phonemes: the local voice
 * itself when the speech is ours, otherwise the script's language (a cloud voice speaks what it
 * is given). Only the language matters for the mouth, not the variant.
 */
export function phonemeVoiceFor(voiceId: string | undefined, text: string): string {
  const local = voiceId ? findEspeakVoice(voiceId) : undefined;
  if (local) return local.espeakVoice.split('+')[0]!;
  const language = likelyLanguage(detectScriptLanguage(text)) ?? 'en';
  return espeakNames[language] ?? language;
}
