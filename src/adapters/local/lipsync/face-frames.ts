import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { jawOpen } from '../../../catalog/portraits/mouth-shapes.js';
import type { EyeState } from '../../../catalog/portraits/viseme.js';
import { eyeRows, spriteKey, type FaceSprites } from './speaker-layers.js';
import type { MouthFrame } from './viseme-timeline.js';

/**
 * Writes the face box of every frame as raw RGBA to the encoder's pipe: the frame's mouth shape
 * (where the timeline blends: an open shape a jaw level lower, any other cross-faded) with the
 * lids of a blink pasted over the eye rows. A frame that needs neither is the sprite itself, so
 * most frames cost no pixel work at all.
 */
export async function writeFaceFrames(
  pipe: Writable,
  sprites: FaceSprites,
  mouths: readonly MouthFrame[],
  eyes: readonly EyeState[],
  signal: AbortSignal,
): Promise<void> {
  const eyeBytes = sprites.width * eyeRows * 4;
  for (let frame = 0; frame < mouths.length; frame++) {
    signal.throwIfAborted();
    const mouth = mouths[frame]!;
    // On the way to the next shape an open mouth closes a little (an in-between pose); a
    // cross-fade of two outlines would show both, faintly, instead.
    const tween = mouth.mix > 0 && jawOpen.has(mouth.from);
    const from = sprites.mouths.get(
      spriteKey(mouth.from, tween ? Math.max(0, mouth.jaw - 1) : mouth.jaw),
    )!;
    const lids = eyes[frame] ?? 'open';
    let picture = from;
    if (mouth.mix > 0 && !tween)
      picture = blend(from, sprites.mouths.get(spriteKey(mouth.to, mouth.jaw))!, mouth.mix);
    if (lids !== 'open') {
      if (picture === from) picture = Buffer.from(from);
      sprites.eyes.get(lids)!.copy(picture, 0, 0, eyeBytes);
    }
    if (!pipe.write(picture)) await once(pipe, 'drain', { signal });
  }
  pipe.end();
}

/** `a` moved towards `b` by `mix` (0–1), channel by channel. */
export function blend(a: Buffer, b: Buffer, mix: number): Buffer {
  const out = Buffer.allocUnsafe(a.length);
  const weight = Math.round(mix * 256);
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    out[i] = x + (((b[i]! - x) * weight) >> 8);
  }
  return out;
}
