import { mouthInteriorColour } from '../../../catalog/portraits/mouth-shapes.js';
import { parseHex } from '../../../catalog/portraits/colour.js';

/**
 * Where a starter character's mouth can be in a rendered 1080×1920 frame, whatever the camera
 * drift and the head's sway: a window to read the mouth back from the video.
 */
export const mouthWindow = { x: 420, y: 890, width: 240, height: 220 } as const;

const [ir, ig, ib] = parseHex(mouthInteriorColour);

/**
 * Whether a pixel is the inside of an open mouth: the dark purplish red of the interior, after
 * 4:2:0 video compression (which pales a thin opening's colour next to the teeth). Lips, their
 * seams, skin lines, beards and dark hair of the cast are all warmer (less blue than green) or
 * lighter.
 */
export function isMouthInterior(r: number, g: number, b: number): boolean {
  return Math.abs(r - ir) <= 26 && g <= ig + 18 && b <= ib + 24 && b - g >= 6 && r - g >= 18;
}

/** How open the mouth is in one RGB24 picture of `mouthWindow`: pixels of mouth interior. */
export function mouthOpening(rgb: Uint8Array): number {
  let open = 0;
  for (let i = 0; i + 2 < rgb.length; i += 3)
    if (isMouthInterior(rgb[i]!, rgb[i + 1]!, rgb[i + 2]!)) open++;
  return open;
}
