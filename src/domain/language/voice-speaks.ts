import {
  detectScriptLanguage,
  type ScriptLanguage,
  type ScriptPart,
} from './detect-script-language.js';
import type { LanguageTag } from './language-tags.js';

export type VoiceScriptCheck =
  | { readonly ok: true }
  /** `part` is the first part of the script the voice cannot say. */
  | { readonly ok: false; readonly part: ScriptPart };

/**
 * Whether a voice speaking `voiceLanguages` can say every part of the script. A voice whose
 * languages are not known (an empty list: a voice chosen before they were recorded) is not judged
 * here; the speech provider still refuses to spell out letters it cannot read.
 */
export function checkVoiceSpeaks(
  voiceLanguages: readonly LanguageTag[],
  script: string | ScriptLanguage,
): VoiceScriptCheck {
  if (voiceLanguages.length === 0) return { ok: true };
  const detection = typeof script === 'string' ? detectScriptLanguage(script) : script;
  const unspoken = detection.parts.find(
    (part) => !part.possible.some((language) => voiceLanguages.includes(language)),
  );
  return unspoken ? { ok: false, part: unspoken } : { ok: true };
}

export const voiceSpeaks = (
  voiceLanguages: readonly LanguageTag[],
  script: string | ScriptLanguage,
): boolean => checkVoiceSpeaks(voiceLanguages, script).ok;
