import { visemeOpening } from '../../../catalog/portraits/viseme.js';
import type { MouthFrame } from '../lipsync/viseme-timeline.js';

/**
 * The speech's loudness per video frame, 0..1: the RMS of the samples the frame spans, over the
 * loud end of the speech (its 95th percentile, so one peak does not flatten the rest), and 0 where
 * the frame is near silence (below `gate` of that level).
 */
export function frameLoudness(
  samples: Int16Array,
  sampleRate: number,
  fps: number,
  frameCount: number,
  gate = 0.12,
): Float32Array {
  const rms = new Float32Array(frameCount);
  for (let frame = 0; frame < frameCount; frame++) {
    const from = Math.floor((frame * sampleRate) / fps);
    const to = Math.min(samples.length, Math.floor(((frame + 1) * sampleRate) / fps));
    let sum = 0;
    for (let i = from; i < to; i++) sum += samples[i]! * samples[i]!;
    rms[frame] = to > from ? Math.sqrt(sum / (to - from)) : 0;
  }
  const sorted = Float32Array.from(rms).sort();
  const loud = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0;
  if (!(loud > 0)) return new Float32Array(frameCount);
  return rms.map((value) => {
    const level = Math.min(1, value / loud);
    return level < gate ? 0 : level;
  });
}

/**
 * How open the mouth is in every frame, 0..1 of a wide-open mouth. With the words' mouth shapes
 * (the viseme timeline the drawn characters speak with), the shape decides and the loudness
 * scales it: closed lips for p, b and m and between words stay closed, however loud. Without
 * them, the loudness alone opens the mouth, eased so it does not flicker from frame to frame.
 */
export function mouthOpenings(
  loudness: Float32Array,
  shapes?: readonly MouthFrame[],
): Float32Array {
  if (shapes) {
    return loudness.map((level, frame) => {
      const shape = shapes[frame];
      if (!shape) return 0;
      const opening =
        visemeOpening[shape.from] * (1 - shape.mix) + visemeOpening[shape.to] * shape.mix;
      return opening * (0.45 + 0.55 * level);
    });
  }
  const eased = new Float32Array(loudness.length);
  let previous = 0;
  loudness.forEach((level, frame) => {
    // Opens quickly, closes a little slower, as a jaw does.
    const rate = level > previous ? 0.7 : 0.45;
    previous += (level - previous) * rate;
    eased[frame] = level === 0 && previous < 0.05 ? 0 : previous * 0.8;
  });
  return eased;
}
