import type { WordTiming } from '../../../ports/speech-synthesizer.js';

export interface FakeAlignment {
  readonly characters: string[];
  readonly character_start_times_seconds: number[];
  readonly character_end_times_seconds: number[];
}

/**
 * A character alignment over `text` from word timings (eSpeak's, in the fake): each word's span
 * is shared among its characters in proportion, and the spaces between words cover the gap.
 * `words` must come from `splitIntoWords(text)`, so each word is one or more whitespace tokens.
 */
export function alignmentFromWords(text: string, words: readonly WordTiming[]): FakeAlignment {
  const characters = [...text];
  const starts: number[] = new Array<number>(characters.length).fill(0);
  const ends: number[] = new Array<number>(characters.length).fill(0);
  const tokens = [...text.matchAll(/\S+/gu)].map((match) => ({
    from: [...text.slice(0, match.index)].length,
    length: [...match[0]].length,
  }));
  let tokenIndex = 0;
  let previousEnd = 0;
  let cursor = 0;
  const fillGap = (until: number, at: number, next: number) => {
    for (; cursor < until; cursor += 1) {
      starts[cursor] = round(at);
      ends[cursor] = round(Math.max(at, next));
    }
  };
  for (const word of words) {
    const parts = word.word.split(' ').length;
    const first = tokens[tokenIndex];
    const last = tokens[tokenIndex + parts - 1];
    tokenIndex += parts;
    if (!first || !last) break;
    const from = first.from;
    const to = last.from + last.length;
    fillGap(from, previousEnd, word.start);
    const step = (word.end - word.start) / Math.max(1, to - from);
    for (let i = from; i < to; i += 1) {
      starts[i] = round(word.start + step * (i - from));
      ends[i] = round(word.start + step * (i - from + 1));
    }
    cursor = to;
    previousEnd = word.end;
  }
  fillGap(characters.length, previousEnd, previousEnd);
  return { characters, character_start_times_seconds: starts, character_end_times_seconds: ends };
}

const round = (seconds: number) => Math.round(seconds * 1000) / 1000;
