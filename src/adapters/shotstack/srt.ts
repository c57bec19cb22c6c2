import type { WordTiming } from '../../ports/speech-synthesizer.js';
import { groupCaptions } from '../local/captions/ass-subtitles.js';
import { joinCaption } from '../local/captions/caption-tokens.js';

export interface SrtOptions {
  readonly maxWordsPerCaption?: number;
  readonly maxCharsPerCaption?: number;
  /** A caption stays up through pauses shorter than this, instead of blinking off. */
  readonly holdGapSec?: number;
  /** Nothing is shown after this (the speech's end: the video is no longer). */
  readonly endSec?: number;
}

/**
 * Word timings → an SRT file of short caption lines (a few words each, a new line after a sentence
 * ends), the same grouping as the local karaoke captions so both providers break lines alike.
 * Shotstack's caption asset has no per-word highlight, so each line simply stays up while it is
 * spoken.
 * Pure: the same words give the same file.
 */
export function toSrt(words: readonly WordTiming[], options: SrtOptions = {}): string {
  const holdGapSec = options.holdGapSec ?? 0.7;
  const endSec = options.endSec ?? Number.POSITIVE_INFINITY;
  const captions = groupCaptions(
    words.filter((word) => word.word.trim() !== ''),
    {
      maxWordsPerCaption: options.maxWordsPerCaption ?? 4,
      maxCharsPerCaption: options.maxCharsPerCaption ?? 28,
    },
  );
  const cues: string[] = [];
  captions.forEach((caption, index) => {
    const first = caption[0]!;
    const last = caption.at(-1)!;
    const nextStart = captions[index + 1]?.[0]?.start;
    const end = Math.min(
      endSec,
      nextStart !== undefined && nextStart - last.end < holdGapSec
        ? nextStart
        : Math.max(last.end, first.start + 0.2),
    );
    const start = Math.max(0, first.start);
    // Rounded to milliseconds, a cue must still last; one past the end of the speech is dropped.
    if (Math.round(end * 1000) <= Math.round(start * 1000)) return;
    const text = joinCaption(caption, (token) => token.word.replace(/\s+/g, ' ').trim());
    cues.push(`${cues.length + 1}\n${formatSrtTime(start)} --> ${formatSrtTime(end)}\n${text}\n`);
  });
  return cues.join('\n');
}

/** `HH:MM:SS,mmm`, SRT's only time format. */
export function formatSrtTime(seconds: number): string {
  const total = Math.max(0, Math.round(seconds * 1000));
  const ms = total % 1000;
  const s = Math.floor(total / 1000) % 60;
  const m = Math.floor(total / 60_000) % 60;
  const h = Math.floor(total / 3_600_000);
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)},${pad(ms, 3)}`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
