import type { Viseme } from '../../../catalog/portraits/viseme.js';
import type { WordTiming } from '../../../ports/speech-synthesizer.js';
import type { MouthSound } from './ipa-visemes.js';
import { alignToLoudness, envelopeRate } from './loudness-alignment.js';

/** One mouth shape held from `start` to `end` (seconds). */
export interface VisemeCue {
  readonly viseme: Viseme;
  readonly start: number;
  readonly end: number;
  readonly bilabial: boolean;
  /**
   * A tongue consonant said between vowels: the jaw stays near the vowel (coarticulation), so the
   * mouth keeps the vowel's shape a jaw level lower instead of snapping to the teeth-together one.
   */
  readonly reduced?: boolean;
}

/** How far the jaw opens a vowel, quiet to loud: an index into these. */
export const jawLevels = [0.35, 0.55, 0.78, 1] as const;
// The loudness (relative to the speech's usual level) from which each jaw level is used.
const jawFrom = [0, 0.3, 0.55, 0.8] as const;

/**
 * What one video frame shows: `from` blended towards `to` by `mix` (0: `from` alone), vowels
 * opened to `jawLevels[jaw]`.
 */
export interface MouthFrame {
  readonly from: Viseme;
  readonly to: Viseme;
  readonly mix: number;
  readonly jaw: number;
  /** A level lower than the loudness alone would open it (a reduced consonant). */
  readonly reduced?: boolean;
}

// The mouth starts to form a word a little before it is heard, as a speaker's does.
const anticipationSec = 0.02;

/**
 * Places each word's sounds inside the time the word is heard, in proportion to their typical
 * lengths; or, given the speech's loudness (`envelope`, per 10 ms step, relative to its usual
 * level), places the sounds of each run of words said without a pause where the loudness shows
 * them (see `alignToLoudness`). Between words, and before and after the speech, the lips rest
 * closed.
 */
export function visemeCues(
  words: readonly WordTiming[],
  sounds: readonly (readonly MouthSound[])[],
  envelope?: readonly number[],
): VisemeCue[] {
  const cues: VisemeCue[] = [];
  const push = (sound: MouthSound, start: number, end: number) => {
    const previous = cues.at(-1);
    if (previous && previous.viseme === sound.viseme && Math.abs(previous.end - start) < 1e-6) {
      cues[cues.length - 1] = { ...previous, end, bilabial: previous.bilabial || sound.bilabial };
    } else {
      cues.push({ viseme: sound.viseme, start, end, bilabial: sound.bilabial });
    }
  };
  for (const unit of placementUnits(words, sounds, envelope !== undefined)) {
    const unitStart = cues.length;
    const total = unit.sounds.reduce((sum, sound) => sum + sound.weight, 0);
    if (total <= 0 || unit.end <= unit.start) continue;
    const first = Math.round(unit.start * envelopeRate);
    const last = Math.round(unit.end * envelopeRate);
    const steps = envelope ? alignToLoudness(unit.sounds, envelope.slice(first, last)) : undefined;
    const lengths = steps
      ? steps.map((n) => n / envelopeRate)
      : unit.sounds.map((s) => ((unit.end - unit.start) * s.weight) / total);
    let at = steps ? first / envelopeRate : unit.start;
    unit.sounds.forEach((sound, i) => {
      const end = at + lengths[i]!;
      push(sound, Math.max(0, at - anticipationSec), Math.max(0, end - anticipationSec));
      at = end;
    });
    coarticulate(cues, unitStart);
  }
  return cues;
}

interface PlacementUnit {
  readonly start: number;
  readonly end: number;
  readonly sounds: readonly MouthSound[];
}

// Words closer than this are one breath: their boundary is only an estimate.
const joinedGapSec = 0.03;

/**
 * What the sounds are placed within: each word, or, when the loudness can place them, each run of
 * words said without a pause (the measured word boundaries inside a run are estimates, while its
 * ends are real pauses).
 */
function placementUnits(
  words: readonly WordTiming[],
  sounds: readonly (readonly MouthSound[])[],
  byLoudness: boolean,
): PlacementUnit[] {
  const units: PlacementUnit[] = [];
  words.forEach((word, index) => {
    const wordSounds = sounds[index] ?? [];
    const previous = units.at(-1);
    if (byLoudness && previous && word.start - previous.end < joinedGapSec) {
      units[units.length - 1] = {
        start: previous.start,
        end: Math.max(previous.end, word.end),
        sounds: [...previous.sounds, ...wordSounds],
      };
    } else {
      units.push({ start: word.start, end: word.end, sounds: wordSounds });
    }
  });
  return units;
}

const vowelShapes: ReadonlySet<Viseme> = new Set(['ee', 'eh', 'aa', 'oh', 'oo']);
// Consonants made with the tongue, which leave the jaw and lips to the vowels around them.
const lingual: ReadonlySet<Viseme> = new Set(['etc', 'l', 'th']);
const briefSec = 0.09;

/** A brief tongue consonant between two vowels of a word takes the first vowel's shape, reduced. */
function coarticulate(cues: VisemeCue[], from: number): void {
  for (let i = Math.max(from, 1); i < cues.length - 1; i++) {
    const cue = cues[i]!;
    const before = cues[i - 1]!;
    if (i - 1 < from || !lingual.has(cue.viseme) || cue.end - cue.start > briefSec) continue;
    if (!vowelShapes.has(before.viseme) || !vowelShapes.has(cues[i + 1]!.viseme)) continue;
    cues[i] = { ...cue, viseme: before.viseme, reduced: true };
  }
}

/**
 * The shape of every frame. A frame shows the cue sounding at its middle; the last frame of a
 * shape held two frames or more leans towards the next one (a short cross-fade), except that
 * closed lips are never blended: a p, b or m always gets a frame of its own with the lips shut,
 * even when it is shorter than a frame.
 */
export function mouthFrames(
  cues: readonly VisemeCue[],
  frameCount: number,
  fps: number,
): MouthFrame[] {
  const shapes: Viseme[] = new Array<Viseme>(frameCount).fill('rest');
  const reduced = new Set<number>();
  let cursor = 0;
  for (let frame = 0; frame < frameCount; frame++) {
    const t = (frame + 0.5) / fps;
    while (cursor < cues.length && cues[cursor]!.end <= t) cursor++;
    const cue = cues[cursor];
    if (cue && cue.start <= t) {
      shapes[frame] = cue.viseme;
      if (cue.reduced) reduced.add(frame);
    }
  }
  const pinned = new Set<number>();
  for (const cue of cues) {
    if (!cue.bilabial) continue;
    const frame = Math.min(
      frameCount - 1,
      Math.max(0, Math.round(((cue.start + cue.end) / 2) * fps - 0.5)),
    );
    shapes[frame] = 'mbp';
    pinned.add(frame);
  }
  return shapes.map((shape, frame) => {
    const next = shapes[frame + 1];
    const previous = shapes[frame - 1];
    const blend =
      next !== undefined &&
      next !== shape &&
      previous === shape &&
      shape !== 'mbp' &&
      !pinned.has(frame);
    const frameOf = blend
      ? { from: shape, to: next, mix: 0.4, jaw: fullJaw }
      : { from: shape, to: shape, mix: 0, jaw: fullJaw };
    return reduced.has(frame) && !pinned.has(frame) ? { ...frameOf, reduced: true } : frameOf;
  });
}

const fullJaw = jawLevels.length - 1;

// Below this share of the speech's usual loudness a frame is silent: a pause inside a phrase, the
// hold of a stop consonant.
const silentShare = 0.05;

/**
 * Lets the voice move the jaw: a vowel opens less when the sound is quiet and fully when it is
 * loud, and a silent frame inside the speech rests with the lips together. The sounds still
 * choose each shape; closed lips (p, b, m) stay closed.
 */
export function withLoudness(
  frames: readonly MouthFrame[],
  loudness: readonly number[],
): MouthFrame[] {
  const speaking = frames
    .flatMap((frame, i) => (frame.from === 'rest' ? [] : [loudness[i] ?? 0]))
    .sort((a, b) => a - b);
  const usual = speaking[Math.floor(speaking.length * 0.9)] ?? 0;
  if (usual <= 0) return [...frames];
  return frames.map((frame, i) => {
    if (frame.from === 'mbp') return frame;
    const level = (loudness[i] ?? 0) / usual;
    if (level < silentShare) return { from: 'rest', to: 'rest', mix: 0, jaw: fullJaw };
    const jaw = jawFrom.findLastIndex((from) => level >= from);
    return { ...frame, jaw: Math.max(0, jaw - (frame.reduced ? 1 : 0)) };
  });
}
