import { describe, expect, it } from 'vitest';
import type { MouthFrame } from '../lipsync/viseme-timeline.js';
import { frameLoudness, mouthOpenings } from './mouth-motion.js';

const rate = 16_000;
const fps = 30;

/** Silence, then a loud tone, then a quiet one, then silence: 0.5 s each. */
function speechLike(): Int16Array {
  const samples = new Int16Array(rate * 2);
  for (let i = 0; i < samples.length; i++) {
    const part = Math.floor(i / (rate / 2));
    const amplitude = part === 1 ? 12_000 : part === 2 ? 4_000 : 0;
    samples[i] = Math.round(amplitude * Math.sin((2 * Math.PI * 180 * i) / rate));
  }
  return samples;
}

describe('frameLoudness', () => {
  const loudness = frameLoudness(speechLike(), rate, fps, 60);

  it('given silence, when measured per frame, then those frames are 0', () => {
    expect(Array.from(loudness.slice(0, 15))).toEqual(new Array(15).fill(0));
    expect(Array.from(loudness.slice(45, 60))).toEqual(new Array(15).fill(0));
  });

  it('given a loud and a quiet stretch, when measured, then the loud one is at the top and the quiet one in proportion', () => {
    expect(loudness[22]).toBeCloseTo(1, 1);
    expect(loudness[37]).toBeCloseTo(4 / 12, 1);
  });

  it('given nothing but silence, when measured, then every frame is 0', () => {
    expect(Array.from(frameLoudness(new Int16Array(rate), rate, fps, 30))).toEqual(
      new Array(30).fill(0),
    );
  });
});

describe('mouthOpenings', () => {
  const still = (viseme: MouthFrame['from']): MouthFrame =>
    ({ from: viseme, to: viseme, mix: 0 }) as MouthFrame;

  it('given the words’ mouth shapes, when opened, then closed lips stay closed however loud, and a wide vowel opens more when louder', () => {
    const loudness = Float32Array.from([1, 1, 1, 0.3]);
    const openings = mouthOpenings(loudness, [
      still('mbp'),
      still('rest'),
      still('aa'),
      still('aa'),
    ]);
    expect(openings[0]).toBe(0);
    expect(openings[1]).toBe(0);
    expect(openings[2]).toBeCloseTo(1);
    expect(openings[3]).toBeGreaterThan(0.4);
    expect(openings[3]).toBeLessThan(openings[2]!);
  });

  it('given a blend between two shapes, when opened, then the opening lies between theirs', () => {
    const [opening] = mouthOpenings(Float32Array.from([1]), [
      { from: 'aa', to: 'mbp', mix: 0.4 } as MouthFrame,
    ]);
    expect(opening).toBeCloseTo(0.6);
  });

  it('given loudness alone, when opened, then silence is closed and speech opens the mouth without jumping to full at once', () => {
    const openings = mouthOpenings(Float32Array.from([0, 0, 1, 1, 1, 0, 0, 0, 0, 0]));
    expect(openings[0]).toBe(0);
    expect(openings[2]).toBeGreaterThan(0.3);
    expect(openings[2]).toBeLessThan(openings[4]!);
    expect(openings[9]).toBe(0);
  });
});
