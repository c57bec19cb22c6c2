import { mouthInteriorColour } from '../../../catalog/portraits/mouth-shapes.js';
import { parseHex } from '../../../catalog/portraits/colour.js';

/**
 * Where a starter character's mouth can be in a rendered 1080×1920 frame, whatever the camera
 * drift and the head's sway: a window to read the mouth back from the video.
 */
export const mouthWindow = { x: 420, y: 890, width: 240, height: 220 } as const;

const [ir, ig, ib] = parseHex(mouthInteriorColour);

/**
 * Whether a pixel is the inside of an open mouth: the dark red of the interior, after 4:2:0 video
 * compression. Lips, their seam, skin, beards and dark hair all fall outside it (the lips' seam,
 * the darkest of them, has twice the green).
 */
export function isMouthInterior(r: number, g: number, b: number): boolean {
  return Math.abs(r - ir) <= 26 && g <= ig + 16 && Math.abs(b - ib) <= 20 && r - g >= 25;
}

/** How open the mouth is in one RGB24 picture of `mouthWindow`: pixels of mouth interior. */
export function mouthOpening(rgb: Uint8Array): number {
  let open = 0;
  for (let i = 0; i + 2 < rgb.length; i += 3) if (isMouthInterior(rgb[i]!, rgb[i + 1]!, rgb[i + 2]!)) open++;
  return open;
}
