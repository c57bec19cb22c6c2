import { checkVoiceSpeaks } from '../../../domain/language/voice-speaks.js';

// eSpeak NG's dictionaries cover the Basic Multilingual Plane; a letter beyond it (rare CJK
// characters of Extension B and later) is read out as its code point in any voice.
const beyondBmpLetter = /[\u{10000}-\u{10FFFF}]/u;

/**
 * What an eSpeak NG voice speaking `languages` would spell out instead of reading, or undefined
 * when it reads the whole text. A voice without languages is judged by the letters alone.
 */
export function unreadableByEspeak(languages: readonly string[], text: string): string | undefined {
  const check = checkVoiceSpeaks(languages, text);
  if (!check.ok) return `${check.part.likely} (${check.part.system} letters)`;
  const rare = [...text].filter((char) => beyondBmpLetter.test(char) && /\p{L}/u.test(char));
  return rare.length > 0 ? `characters ${rare.slice(0, 5).join(' ')}` : undefined;
}
