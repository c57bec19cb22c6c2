import type { WordTiming } from '../../../ports/speech-synthesizer.js';
import type { SpeechSpan } from './speech-activity.js';

export interface AlignmentInput {
  readonly words: readonly string[];
  /** How long each word sounds when spoken in the same voice, in seconds (relative weights). */
  readonly wordSoundingSec: readonly number[];
  /** Sounding spans of the real utterance. */
  readonly spans: readonly SpeechSpan[];
  readonly audioDurationSec: number;
}

// A word boundary never snaps to a pause further than this from where the durations put it.
const maxSnapSec = 0.3;

/**
 * Places words on the real utterance. The utterance's sounding time (pauses removed) is shared
 * out in proportion to each word's measured duration; each word boundary that lands close to a
 * real pause moves onto that pause, so pauses fall between words rather than inside them.
 */
export function alignWords(input: AlignmentInput): WordTiming[] {
  const { words, spans } = input;
  if (words.length === 0) return [];
  if (input.wordSoundingSec.length !== words.length)
    throw new RangeError('one duration per word is required');
  const weights = input.wordSoundingSec.map((d) => (Number.isFinite(d) && d > 0 ? d : 0));
  const weightTotal = weights.reduce((a, b) => a + b, 0);
  const shares =
    weightTotal > 0 ? weights.map((w) => w / weightTotal) : weights.map(() => 1 / words.length);
  const sounding = spans.length > 0 ? spans : [{ start: 0, end: input.audioDurationSec }];
  const timeline = new SpeechTimeline(sounding);

  const soundingTotal = timeline.total;
  const lengths = shares.map((share) => share * soundingTotal);
  const starts: number[] = [timeline.firstStart];
  const ends: number[] = [];
  let position = 0;
  let lastGap = -1;
  for (let i = 1; i < words.length; i++) {
    position += lengths[i - 1] ?? 0;
    const tolerance = Math.min(maxSnapSec, 0.5 * (lengths[i - 1] ?? 0), 0.5 * (lengths[i] ?? 0));
    const gap = timeline.nearestGap(position, lastGap + 1, tolerance);
    let end: number;
    let start: number;
    if (gap !== undefined) {
      lastGap = gap.index;
      end = gap.start;
      start = gap.end;
    } else {
      end = start = timeline.toRealTime(position);
    }
    // Guards the invariant against rounding; by construction boundaries already increase.
    const floor = starts[i - 1] ?? 0;
    ends.push(Math.max(end, floor));
    starts.push(Math.max(start, floor));
  }
  ends.push(Math.max(timeline.lastEnd, starts.at(-1) ?? 0));
  return words.map((word, i) => ({ word, start: round(starts[i] ?? 0), end: round(ends[i] ?? 0) }));
}

interface Gap {
  readonly index: number;
  /** Where the gap sits in sounding time. */
  readonly position: number;
  readonly start: number;
  readonly end: number;
}

/** Maps "seconds of sound" (pauses removed) to real time and back. */
class SpeechTimeline {
  readonly gaps: Gap[] = [];
  readonly total: number;
  readonly firstStart: number;
  readonly lastEnd: number;
  private readonly cumulative: number[] = [];

  constructor(private readonly spans: readonly SpeechSpan[]) {
    let sum = 0;
    spans.forEach((span, i) => {
      this.cumulative.push(sum);
      sum += span.end - span.start;
      const next = spans[i + 1];
      if (next) this.gaps.push({ index: i, position: sum, start: span.end, end: next.start });
    });
    this.total = sum;
    this.firstStart = spans[0]?.start ?? 0;
    this.lastEnd = spans.at(-1)?.end ?? 0;
  }

  toRealTime(position: number): number {
    for (let i = 0; i < this.spans.length; i++) {
      const span = this.spans[i]!;
      const offset = position - (this.cumulative[i] ?? 0);
      if (offset <= span.end - span.start) return span.start + Math.max(0, offset);
    }
    return this.lastEnd;
  }

  nearestGap(position: number, fromIndex: number, tolerance: number): Gap | undefined {
    let best: Gap | undefined;
    for (const gap of this.gaps.slice(fromIndex)) {
      const distance = Math.abs(gap.position - position);
      if (distance <= tolerance && (!best || distance < Math.abs(best.position - position)))
        best = gap;
      if (gap.position > position + tolerance) break;
    }
    return best;
  }
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
