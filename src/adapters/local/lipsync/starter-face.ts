import sharp from 'sharp';
import { parseHex } from '../../../catalog/portraits/colour.js';
import {
  faceToPixel,
  portraitHeight,
  portraitSvg,
  portraitWidth,
} from '../../../catalog/portraits/portrait-svg.js';
import type { PortraitSpec } from '../../../catalog/portraits/portrait-spec.js';
import type { StarterCharacter } from '../../../catalog/starter/starter-characters.js';
import { portraitFaceBox } from './speaker-layers.js';

// A picture is the drawn portrait when its face matches the drawing almost exactly (PNG is
// lossless: only another librsvg's anti-aliasing differs) and the whole picture, seen small, does
// too: an edit of the clothes or the hair must not be drawn over with the original.
const faceTolerance = 2.5;
const pictureTolerance = 3;
const thumb = { width: 270, height: 480 } as const;

interface Reference {
  readonly face: Buffer;
  readonly picture: Buffer;
}
const references = new Map<string, Promise<Reference>>();

/**
 * Which starter character a picture is, when it is one of their portraits as drawn (not edited,
 * not a photo): only then does drawing the character anew, speaking, give the same picture. The
 * backdrop and forehead colours pick the candidates; the drawing must then match.
 */
export async function findStarterFace(
  imagePath: string,
  cast: readonly StarterCharacter[],
): Promise<StarterCharacter | undefined> {
  const { width, height } = await sharp(imagePath).metadata();
  if (width !== portraitWidth || height !== portraitHeight) return undefined;
  const foreheadAt = faceToPixel(0, -120);
  const [backdrop, forehead] = await Promise.all([
    pixel(imagePath, 20, 20),
    pixel(imagePath, Math.round(foreheadAt.x), Math.round(foreheadAt.y)),
  ]);
  const candidates = cast.filter(
    (c) => near(backdrop, c.portrait.backdrop) && near(forehead, c.portrait.skin),
  );
  if (candidates.length === 0) return undefined;
  const box = portraitFaceBox;
  const [face, picture] = await Promise.all([
    sharp(imagePath)
      .extract({ left: box.x, top: box.y, width: box.width, height: box.height })
      .ensureAlpha()
      .raw()
      .toBuffer(),
    sharp(imagePath)
      .resize(thumb.width, thumb.height, { kernel: 'linear' })
      .ensureAlpha()
      .raw()
      .toBuffer(),
  ]);
  for (const candidate of candidates) {
    const reference = await referenceOf(candidate);
    if (
      meanDifference(face, reference.face) <= faceTolerance &&
      meanDifference(picture, reference.picture) <= pictureTolerance
    )
      return candidate;
  }
  return undefined;
}

function referenceOf(character: StarterCharacter): Promise<Reference> {
  const key = character.id + JSON.stringify(character.portrait);
  let reference = references.get(key);
  if (!reference) {
    reference = drawReference(character.portrait);
    references.set(key, reference);
    reference.catch(() => references.delete(key));
  }
  return reference;
}

async function drawReference(spec: PortraitSpec): Promise<Reference> {
  const full = await sharp(Buffer.from(portraitSvg(spec), 'utf8'), { density: 72 })
    .removeAlpha()
    .png({ compressionLevel: 0 })
    .toBuffer();
  const box = portraitFaceBox;
  const [face, picture] = await Promise.all([
    sharp(full)
      .extract({ left: box.x, top: box.y, width: box.width, height: box.height })
      .ensureAlpha()
      .raw()
      .toBuffer(),
    sharp(full)
      .resize(thumb.width, thumb.height, { kernel: 'linear' })
      .ensureAlpha()
      .raw()
      .toBuffer(),
  ]);
  return { face, picture };
}

async function pixel(path: string, x: number, y: number): Promise<readonly number[]> {
  const data = await sharp(path)
    .extract({ left: x, top: y, width: 1, height: 1 })
    .removeAlpha()
    .raw()
    .toBuffer();
  return [data[0]!, data[1]!, data[2]!];
}

function near(rgb: readonly number[], hex: string): boolean {
  const expected = parseHex(hex);
  return (
    Math.abs(rgb[0]! - expected[0]) +
      Math.abs(rgb[1]! - expected[1]) +
      Math.abs(rgb[2]! - expected[2]) <=
    12
  );
}

/** Mean absolute difference of the colour channels of two RGBA buffers of the same size. */
export function meanDifference(a: Buffer, b: Buffer): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < a.length; i += 4) {
    sum +=
      Math.abs(a[i]! - b[i]!) + Math.abs(a[i + 1]! - b[i + 1]!) + Math.abs(a[i + 2]! - b[i + 2]!);
    count += 3;
  }
  return sum / count;
}
