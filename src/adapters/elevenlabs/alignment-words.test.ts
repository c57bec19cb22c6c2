import { describe, expect, it } from 'vitest';
import { splitIntoWords } from '../local/speech/speech-words.js';
import {
  alignmentEndSec,
  spreadWords,
  wordsFromAlignment,
  type CharacterAlignment,
} from './alignment-words.js';

/** Each character lasts `step` seconds, except those given their own length in `lengths`. */
function alignmentOf(
  text: string,
  step = 0.05,
  lengths: Record<number, number> = {},
): CharacterAlignment {
  const characters = [...text];
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  characters.forEach((_, index) => {
    starts.push(at);
    at += lengths[index] ?? step;
    ends.push(at);
  });
  return { characters, character_start_times_seconds: starts, character_end_times_seconds: ends };
}

describe('wordsFromAlignment', () => {
  it('splits on whitespace and times each word by its letters', () => {
    const words = wordsFromAlignment(alignmentOf('Hi there'));
    expect(words).toEqual([
      { word: 'Hi', start: 0, end: 0.1 },
      { word: 'there', start: 0.15, end: 0.4 },
    ]);
  });

  it('keeps punctuation in the word but not in its timing (a stretched full stop is a pause)', () => {
    const text = 'Buy now. Today!';
    const words = wordsFromAlignment(alignmentOf(text, 0.1, { 7: 0.9 }));
    expect(words.map((w) => w.word)).toEqual(['Buy', 'now.', 'Today!']);
    // "now" ends at its "w", before the 0.9 s full stop.
    expect(words[1]!.end).toBeCloseTo(0.7, 5);
    expect(words[2]!.start).toBeCloseTo(1.7, 5);
  });

  it('handles Cyrillic, a dash and a leading quote like splitIntoWords does', () => {
    const text = '«Привет» — мир,  это   тест!';
    const words = wordsFromAlignment(alignmentOf(text));
    expect(words.map((w) => w.word)).toEqual(splitIntoWords(text));
    expect(words.map((w) => w.word)).toEqual(['«Привет» —', 'мир,', 'это', 'тест!']);
    // «Привет»: the quote is character 0; the word starts with "П".
    expect(words[0]!.start).toBeCloseTo(0.05, 5);
  });

  it('glues a leading token without letters onto the first word, and splits on newlines', () => {
    const text = '— Да\nнет 100%';
    const words = wordsFromAlignment(alignmentOf(text));
    expect(words.map((w) => w.word)).toEqual(['— Да', 'нет', '100%']);
  });

  it('keeps letters joined by combining marks (decomposed й) in one word', () => {
    const text = 'мои\u0306 дом';
    expect(wordsFromAlignment(alignmentOf(text)).map((w) => w.word)).toEqual(['мои\u0306', 'дом']);
  });

  it('never lets a word start before the previous one, even when the provider rounds badly', () => {
    const alignment: CharacterAlignment = {
      characters: ['a', ' ', 'b'],
      character_start_times_seconds: [0.5, 0.6, 0.4],
      character_end_times_seconds: [0.6, 0.6, 0.3],
    };
    const words = wordsFromAlignment(alignment);
    expect(words[1]!.start).toBeGreaterThanOrEqual(words[0]!.start);
    expect(words[1]!.end).toBeGreaterThanOrEqual(words[1]!.start);
  });

  it('gives no words for text without any letters or digits', () => {
    expect(wordsFromAlignment(alignmentOf('... —'))).toEqual([]);
  });

  it('reads the end of the audio from the latest character end', () => {
    expect(alignmentEndSec(alignmentOf('abc', 0.2))).toBeCloseTo(0.6, 5);
    expect(
      alignmentEndSec({
        characters: [],
        character_start_times_seconds: [],
        character_end_times_seconds: [],
      }),
    ).toBe(0);
  });
});

describe('spreadWords', () => {
  it('shares the duration out by letter count, back to back', () => {
    const words = spreadWords(['a', 'bbb'], 2);
    expect(words).toEqual([
      { word: 'a', start: 0, end: 0.5 },
      { word: 'bbb', start: 0.5, end: 2 },
    ]);
  });
});
