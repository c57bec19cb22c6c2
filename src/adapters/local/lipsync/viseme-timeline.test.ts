import { describe, expect, it } from 'vitest';
import type { MouthSound } from './ipa-visemes.js';
import { mouthFrames, visemeCues, withLoudness } from './viseme-timeline.js';

const sound = (viseme: MouthSound['viseme'], weight = 1): MouthSound => ({
  viseme,
  weight,
  bilabial: viseme === 'mbp',
});

describe('visemeCues', () => {
  it('given a word and its sounds, when placed, then the sounds fill the word in proportion to their weights, starting a little early', () => {
    const cues = visemeCues(
      [{ word: 'map', start: 1, end: 1.5 }],
      [[sound('mbp', 0.5), sound('aa', 1), sound('mbp', 0.5)]],
    );
    expect(cues.map((c) => c.viseme)).toEqual(['mbp', 'aa', 'mbp']);
    expect(cues[0]!.start).toBeCloseTo(0.98);
    expect(cues.at(-1)!.end).toBeCloseTo(1.48);
    expect(cues[1]!.end - cues[1]!.start).toBeCloseTo(2 * (cues[0]!.end - cues[0]!.start));
    expect(cues[0]!.bilabial).toBe(true);
  });

  it('given repeated shapes in a row, when placed, then they merge into one cue', () => {
    const cues = visemeCues(
      [{ word: 'seat', start: 0, end: 0.4 }],
      [[sound('etc'), sound('ee'), sound('ee'), sound('etc')]],
    );
    expect(cues.map((c) => c.viseme)).toEqual(['etc', 'ee', 'etc']);
  });

  it('given a word with no sounds, when placed, then it has no cue (the mouth rests)', () => {
    expect(visemeCues([{ word: '—', start: 0, end: 0.3 }], [[]])).toEqual([]);
  });
});

describe('mouthFrames', () => {
  const fps = 30;

  it('given silence before, between and after words, when sampled, then those frames rest with closed lips', () => {
    const cues = visemeCues(
      [
        { word: 'ah', start: 0.5, end: 1 },
        { word: 'oh', start: 2, end: 2.5 },
      ],
      [[sound('aa')], [sound('oh')]],
    );
    const frames = mouthFrames(cues, 90, fps);
    expect(frames[5]).toEqual({ from: 'rest', to: 'rest', mix: 0, jaw: 3 });
    expect(frames[45]).toEqual({ from: 'rest', to: 'rest', mix: 0, jaw: 3 });
    expect(frames[85]).toEqual({ from: 'rest', to: 'rest', mix: 0, jaw: 3 });
    expect(frames[20]!.from).toBe('aa');
    expect(frames[65]!.from).toBe('oh');
  });

  it('given a bilabial shorter than a frame, when sampled, then one frame still shows the lips closed, unblended', () => {
    const cues = [
      { viseme: 'aa' as const, start: 0, end: 0.1, bilabial: false },
      { viseme: 'mbp' as const, start: 0.1, end: 0.115, bilabial: true },
      { viseme: 'aa' as const, start: 0.115, end: 0.3, bilabial: false },
    ];
    const frames = mouthFrames(cues, 9, fps);
    const closed = frames.filter((f) => f.from === 'mbp');
    expect(closed).toEqual([{ from: 'mbp', to: 'mbp', mix: 0, jaw: 3 }]);
  });

  it('given a shape held for several frames, when the next begins, then its last frame cross-fades towards it', () => {
    const cues = [
      { viseme: 'aa' as const, start: 0, end: 0.2, bilabial: false },
      { viseme: 'oo' as const, start: 0.2, end: 0.4, bilabial: false },
    ];
    const frames = mouthFrames(cues, 12, fps);
    expect(frames[5]).toEqual({ from: 'aa', to: 'oo', mix: 0.4, jaw: 3 });
    expect(frames[6]).toEqual({ from: 'oo', to: 'oo', mix: 0, jaw: 3 });
    expect(frames[0]).toEqual({ from: 'aa', to: 'aa', mix: 0, jaw: 3 });
  });

  it('given closed lips, when the mouth opens after them, then the closed frames are never blended', () => {
    const cues = [
      { viseme: 'mbp' as const, start: 0, end: 0.2, bilabial: true },
      { viseme: 'aa' as const, start: 0.2, end: 0.4, bilabial: false },
    ];
    const frames = mouthFrames(cues, 12, fps);
    for (const frame of frames.slice(0, 6))
      expect(frame).toEqual({ from: 'mbp', to: 'mbp', mix: 0, jaw: 3 });
  });
});

describe('visemeCues with the loudness', () => {
  it('given a brief tongue consonant between two vowels, when placed, then it keeps the first vowel, reduced', () => {
    const cues = visemeCues(
      [{ word: 'ada', start: 0, end: 0.3 }],
      [[sound('aa'), sound('etc', 0.3), sound('eh')]],
    );
    expect(cues.map((c) => [c.viseme, c.reduced === true])).toEqual([
      ['aa', false],
      ['aa', true],
      ['eh', false],
    ]);
  });

  it('given a bilabial between vowels, when placed, then it is never reduced', () => {
    const cues = visemeCues(
      [{ word: 'ama', start: 0, end: 0.3 }],
      [[sound('aa'), sound('mbp', 0.3), sound('aa')]],
    );
    expect(cues.map((c) => c.viseme)).toEqual(['aa', 'mbp', 'aa']);
  });
});

describe('withLoudness', () => {
  const frame = (from: MouthSound['viseme']) => ({ from, to: from, mix: 0, jaw: 3 });

  it('given quiet and loud vowel frames, when shaped, then the jaw opens with the loudness, and silence rests', () => {
    const frames = [frame('aa'), frame('aa'), frame('aa'), frame('aa'), frame('mbp')];
    const shaped = withLoudness(frames, [0.001, 0.02, 0.05, 0.1, 0.0]);
    expect(shaped[0]).toEqual({ from: 'rest', to: 'rest', mix: 0, jaw: 3 });
    expect(shaped[1]!.jaw).toBeLessThan(shaped[3]!.jaw);
    expect(shaped[3]!.jaw).toBe(3);
    // Closed lips stay closed, whatever the sound (an "m" is voiced).
    expect(shaped[4]).toEqual(frame('mbp'));
  });
});
