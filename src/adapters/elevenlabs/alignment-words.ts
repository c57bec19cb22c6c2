import type { WordTiming } from '../../ports/speech-synthesizer.js';

/**
 * ElevenLabs' per-character timing: three parallel arrays over the text as sent (or normalised).
 */
export interface CharacterAlignment {
  readonly characters: readonly string[];
  readonly character_start_times_seconds: readonly number[];
  readonly character_end_times_seconds: readonly number[];
}

const pronounceable = /[\p{L}\p{N}]/u;
const whitespace = /^\s*$/u;

interface Token {
  text: string;
  start: number;
  end: number;
  spoken: boolean;
}

/**
 * Words with their times from a character alignment. A word is a run of non-space characters;
 * its times come from its letters and digits only, because ElevenLabs often stretches a trailing
 * "." or "!" over the pause after it. Tokens without letters (a dash, an emoji) are glued to a
 * neighbour as `splitIntoWords` does for eSpeak, so both providers show the same subtitle words.
 */
export function wordsFromAlignment(alignment: CharacterAlignment): WordTiming[] {
  const count = Math.min(
    alignment.characters.length,
    alignment.character_start_times_seconds.length,
    alignment.character_end_times_seconds.length,
  );
  const tokens: Token[] = [];
  let current: Token | undefined;
  let firstSpoken: number | undefined;
  let lastSpoken: number | undefined;
  const close = () => {
    if (!current) return;
    if (firstSpoken !== undefined && lastSpoken !== undefined) {
      current.start = firstSpoken;
      current.end = lastSpoken;
    }
    tokens.push(current);
    current = undefined;
    firstSpoken = undefined;
    lastSpoken = undefined;
  };
  for (let i = 0; i < count; i += 1) {
    const character = alignment.characters[i] ?? '';
    const start = alignment.character_start_times_seconds[i] ?? 0;
    const end = alignment.character_end_times_seconds[i] ?? start;
    if (whitespace.test(character)) {
      close();
      continue;
    }
    current ??= { text: '', start, end, spoken: false };
    current.text += character;
    current.end = Math.max(current.end, end);
    if (pronounceable.test(character)) {
      current.spoken = true;
      firstSpoken ??= start;
      lastSpoken = Math.max(lastSpoken ?? end, end);
    }
  }
  close();
  return orderedTimings(glueUnspoken(tokens));
}

function glueUnspoken(tokens: readonly Token[]): Token[] {
  const words: Token[] = [];
  let pending = '';
  for (const token of tokens) {
    if (!token.spoken) {
      const previous = words.at(-1);
      if (previous) previous.text = `${previous.text} ${token.text}`;
      else pending = pending ? `${pending} ${token.text}` : token.text;
      continue;
    }
    words.push({ ...token, text: pending ? `${pending} ${token.text}` : token.text });
    pending = '';
  }
  return words;
}

/**
 * Providers round times independently; subtitles need every word to start no earlier than the last.
 */
function orderedTimings(tokens: readonly Token[]): WordTiming[] {
  const timings: WordTiming[] = [];
  let floor = 0;
  for (const token of tokens) {
    const start = Math.max(floor, token.start);
    const end = Math.max(start, token.end);
    timings.push({ word: token.text, start: round(start), end: round(end) });
    floor = start;
  }
  return timings;
}

/** The last time any character is heard; 0 for an empty alignment. */
export function alignmentEndSec(alignment: CharacterAlignment): number {
  return alignment.character_end_times_seconds.reduce((latest, end) => Math.max(latest, end), 0);
}

/**
 * Word timings when the provider sent no alignment: the audio's length shared out by letter
 * count. Rougher than an alignment, but subtitles still follow the speech.
 */
export function spreadWords(words: readonly string[], durationSec: number): WordTiming[] {
  const weights = words.map((word) =>
    Math.max(1, [...word].filter((c) => pronounceable.test(c)).length),
  );
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let at = 0;
  return words.map((word, index) => {
    const length = (durationSec * (weights[index] ?? 1)) / total;
    const timing = { word, start: round(at), end: round(at + length) };
    at += length;
    return timing;
  });
}

const round = (seconds: number) => Math.round(seconds * 1000) / 1000;
