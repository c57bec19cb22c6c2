import type { EyeState } from '../../../catalog/portraits/viseme.js';

/** The lid's path through one blink, a frame at a time at 30 fps: about 150 ms. */
const blinkFrames: readonly EyeState[] = ['half', 'closed', 'closed', 'half'];

/**
 * When the eyes blink: every 2–6 s, at intervals that do not repeat, the same for the same seed
 * (a render can be repeated frame for frame). Frame rates other than 30 keep the blink's length.
 */
export function blinkStates(frameCount: number, fps: number, seed: number): EyeState[] {
  const states: EyeState[] = new Array<EyeState>(frameCount).fill('open');
  const random = mulberry32(seed);
  const perStep = fps / 30;
  // The first blink comes soon, so even a short clip blinks once.
  let at = (0.8 + random() * 1.6) * fps;
  while (at < frameCount) {
    const first = Math.round(at);
    blinkFrames.forEach((state, step) => {
      for (let k = Math.round(step * perStep); k < Math.round((step + 1) * perStep); k++) {
        if (first + k < frameCount) states[first + k] = state;
      }
    });
    at += (2 + random() * 4) * fps;
  }
  return states;
}

/** A small fast seeded generator: the schedule must be repeatable, not secret. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
