import type { WordTiming } from '../../../ports/speech-synthesizer.js';

/** A piece of a caption, highlighted on its own while it is spoken. */
export interface CaptionToken extends WordTiming {
  /**
   * Written right after the previous token, with no space: the pieces of one Chinese or Japanese
   * "word".
   */
  readonly glued: boolean;
}

// Chinese and Japanese are written without spaces, so a speech provider's "word" (text between
// spaces) is a whole clause of them: one caption too wide for the screen, highlighted at once.
const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー]/u;
// Small kana (ゃ ゅ ょ, small vowels) are read together with the kana before them.
const smallKana = /[ぁぃぅぇぉゃゅょゎァィゥェォャュョヮ]/u;
const letterOrDigit = /[\p{L}\p{N}\p{M}]/u;
// Opening brackets and quotes belong to what follows them; other punctuation to what precedes it.
const opening = /[「『（(“‘《〈【«"]/u;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

interface Piece {
  text: string;
  /** How long it is spoken, relative to the other pieces of its word: one per syllable, roughly. */
  weight: number;
  kind: 'cjk' | 'other';
}

/**
 * The caption pieces of timed words: a word holding Chinese or Japanese is split into its
 * characters (a Latin brand inside it stays whole, punctuation stays with its character), and
 * the word's time is shared among them by syllables — Chinese characters are one syllable each,
 * kana one mora each. Words of other scripts pass through unchanged.
 */
export function captionTokens(words: readonly WordTiming[]): CaptionToken[] {
  const tokens: CaptionToken[] = [];
  for (const word of words) {
    const pieces = cjk.test(word.word) ? splitCjk(word.word) : [];
    if (pieces.length <= 1) {
      tokens.push({ word: word.word, start: word.start, end: word.end, glued: false });
      continue;
    }
    const total = pieces.reduce((sum, piece) => sum + piece.weight, 0);
    const span = Math.max(0, word.end - word.start);
    let before = 0;
    pieces.forEach((piece, index) => {
      const start = word.start + (span * before) / total;
      before += piece.weight;
      const end = index === pieces.length - 1 ? word.end : word.start + (span * before) / total;
      tokens.push({ word: piece.text, start, end, glued: index > 0 });
    });
  }
  return tokens;
}

function splitCjk(text: string): Piece[] {
  const pieces: Piece[] = [];
  let pending = '';
  for (const { segment } of graphemes.segment(text)) {
    const last = pieces.at(-1);
    if (cjk.test(segment)) {
      if (last && smallKana.test(segment) && last.kind === 'cjk') {
        last.text += segment;
        continue;
      }
      pieces.push({ text: pending + segment, weight: 1, kind: 'cjk' });
      pending = '';
    } else if (letterOrDigit.test(segment)) {
      // Latin letters and digits run together into one piece ("iPhone", "15"), about a syllable
      // per three characters.
      if (last && last.kind === 'other' && !pending && letterOrDigit.test(last.text.at(-1) ?? '')) {
        last.text += segment;
        last.weight = Math.max(
          1,
          Math.ceil([...last.text].filter((c) => letterOrDigit.test(c)).length / 3),
        );
      } else {
        pieces.push({ text: pending + segment, weight: 1, kind: 'other' });
        pending = '';
      }
    } else if (opening.test(segment) || !last) {
      pending += segment;
    } else {
      last.text += segment;
    }
  }
  const last = pieces.at(-1);
  if (pending && last) last.text += pending;
  else if (pending) pieces.push({ text: pending, weight: 1, kind: 'other' });
  return pieces;
}

// East Asian wide characters take about two Latin letters' room on screen.
const wide =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff01-\uff60\uffe0-\uffe6ー]/u;

/** How much room a text takes on a caption line, in Latin letters. */
export function captionWidth(text: string): number {
  let width = 0;
  for (const char of text) width += wide.test(char) ? 2 : 1;
  return width;
}

/** A caption's tokens as one line: spaces between words, none inside a glued word. */
export function joinCaption(
  tokens: readonly CaptionToken[],
  render: (token: CaptionToken, index: number) => string = (token) => token.word,
): string {
  return tokens
    .map((token, index) => `${index > 0 && !token.glued ? ' ' : ''}${render(token, index)}`)
    .join('');
}
