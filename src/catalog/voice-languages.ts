import type { Voice } from '../ports/speech-synthesizer.js';

/**
 * The languages a voice speaks: its list, or its one labelled language. A `multi` voice without a
 * list (an imported one) is unknown: an empty list, which the domain does not judge.
 */
export function voiceLanguages(voice: Pick<Voice, 'language' | 'languages'>): readonly string[] {
  if (voice.languages && voice.languages.length > 0) return voice.languages;
  return voice.language === 'multi' ? [] : [voice.language];
}
