import type { LanguageTag } from '../language/language-tags.js';

// The local voices' ids name their language (`espeak-ru-f1`); ids are never reused for another
// voice, so this holds for events written before VoiceSelected carried the languages.
const localVoiceId = /^espeak-([a-z]{2,3})-[mf]\d+$/;

/**
 * The languages of a chosen voice: as recorded, or — for a VoiceSelected from before they were
 * recorded — read from a local voice's id. Anything else is unknown (empty), and not judged.
 */
export function voiceLanguagesOf(data: {
  readonly voiceId: string;
  readonly languages?: readonly LanguageTag[] | undefined;
}): readonly LanguageTag[] {
  if (data.languages !== undefined) return data.languages;
  const local = localVoiceId.exec(data.voiceId);
  return local?.[1] ? [local[1]] : [];
}
