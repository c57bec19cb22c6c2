const pronounceable = /[\p{L}\p{N}]/u;

/**
 * Splits a script into the words shown as subtitles. A token without letters or digits (a dash,
 * an ellipsis, an emoji) is not a word of its own: it is glued to its neighbour so that the words
 * joined by spaces give back the whole text and nothing the user wrote disappears from the screen.
 */
export function splitIntoWords(text: string): string[] {
  const words: string[] = [];
  let pending = '';
  for (const token of text.split(/\s+/u)) {
    if (!token) continue;
    if (!pronounceable.test(token)) {
      const previous = words.at(-1);
      if (previous !== undefined) words[words.length - 1] = `${previous} ${token}`;
      else pending = pending ? `${pending} ${token}` : token;
      continue;
    }
    words.push(pending ? `${pending} ${token}` : token);
    pending = '';
  }
  // Text with no pronounceable token at all has no words.
  return words;
}

/** Escapes text for SSML, the mode every espeak-ng call here runs in. */
export function escapeSsml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
