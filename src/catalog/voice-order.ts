import {
  detectScriptLanguage,
  type ScriptLanguage,
} from '../domain/language/detect-script-language.js';
import { voiceSpeaks } from '../domain/language/voice-speaks.js';
import type { Voice } from '../ports/speech-synthesizer.js';
import { voiceLanguages } from './voice-languages.js';

export interface VoiceOrderContext {
  /** The user's language (the bot's), whose voices come first. */
  readonly userLanguage: string;
  /** The script already written, if any: voices that can read it come before all others. */
  readonly script?: string | null;
}

export interface OrderedVoice {
  readonly voice: Voice;
  /** False when a script is written and this voice cannot read it. */
  readonly readsScript: boolean;
}

/**
 * The gallery in the order a user should see it: voices that can read their script first (those
 * speaking its likely language before the others), then voices of the user's own language, then
 * the rest — each group in the catalog's order, so the order is stable for the same user.
 */
export function orderVoices(voices: readonly Voice[], context: VoiceOrderContext): OrderedVoice[] {
  const detection: ScriptLanguage | undefined = context.script
    ? detectScriptLanguage(context.script)
    : undefined;
  const likely = detection?.parts[0]?.likely;
  const ranked = voices.map((voice, index) => {
    const languages = voiceLanguages(voice);
    const readsScript = detection === undefined || voiceSpeaks(languages, detection);
    const rank =
      (readsScript ? 0 : 4) +
      (likely !== undefined && languages.includes(likely) ? 0 : 2) +
      (languages.includes(context.userLanguage) ? 0 : 1);
    return { voice, readsScript, rank, index };
  });
  ranked.sort((a, b) => a.rank - b.rank || a.index - b.index);
  return ranked.map(({ voice, readsScript }) => ({ voice, readsScript }));
}
