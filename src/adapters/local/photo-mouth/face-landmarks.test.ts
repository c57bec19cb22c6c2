import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  faceToPixel,
  portraitHeight,
  portraitSvg,
  portraitWidth,
} from '../../../catalog/portraits/portrait-svg.js';
import { starterCharacters } from '../../../catalog/starter/starter-characters.js';
import { FaceLandmarks } from './face-landmarks.js';

// A real photograph: face-api ships demo pictures with its package. The woman in the middle of
// sample3.jpg, cut to a portrait. Her mouth corners were marked by hand on a 4× zoom of the crop.
const require = createRequire(import.meta.url);
const photo = join(
  dirname(require.resolve('@vladmandic/face-api/package.json')),
  'demo',
  'sample3.jpg',
);
const photoCrop = { left: 880, top: 60, width: 560, height: 996 };
const markedCorners = { left: [229, 366], right: [310, 379] } as const;

const rgbOf = async (image: sharp.Sharp) => {
  const { data, info } = await image.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { rgb: new Uint8Array(data), width: info.width, height: info.height };
};
const distance = (a: readonly [number, number], b: readonly [number, number]) =>
  Math.hypot(a[0] - b[0], a[1] - b[1]);

let landmarks: FaceLandmarks;
beforeAll(async () => {
  landmarks = await FaceLandmarks.load();
}, 120_000);

describe('FaceLandmarks', () => {
  it('given a photographed face, when located, then the mouth corners land within 4% of the mouth width of the hand-marked ones', async () => {
    const { rgb, width, height } = await rgbOf(sharp(photo).extract(photoCrop));
    const face = await landmarks.locate(rgb, width, height, 'a'.repeat(64));
    expect(face).toBeDefined();
    expect(face!.detector).toMatch(/SSD/);
    expect(face!.score).toBeGreaterThan(0.5);
    const mouthWidth = distance(markedCorners.left, markedCorners.right);
    expect(distance(face!.outerLips[0]!, markedCorners.left) / mouthWidth).toBeLessThan(0.04);
    expect(distance(face!.outerLips[6]!, markedCorners.right) / mouthWidth).toBeLessThan(0.04);
    expect(face).toMatchObject({ imageSha256: 'a'.repeat(64), width, height });
    expect(face!.innerLips).toHaveLength(8);
  }, 120_000);

  it('given a drawn starter character, when located, then its mouth corners land within 15% of the mouth width of where the portrait code drew them (about 11% measured)', async () => {
    const character = starterCharacters.find((c) => c.id === 'm-young-daniel')!;
    const svg = Buffer.from(portraitSvg(character.portrait));
    const { rgb, width, height } = await rgbOf(
      sharp(svg, { density: 72 }).resize(portraitWidth, portraitHeight),
    );
    const face = await landmarks.locate(rgb, width, height, 'b'.repeat(64));
    expect(face).toBeDefined();
    // The drawn mouth's corners, in the portrait's own coordinates (see portrait-svg.ts).
    const cornerY = character.portrait.smile === 'closed' ? 150 : 144;
    const left = faceToPixel(-66, cornerY);
    const right = faceToPixel(66, cornerY);
    const mouthWidth = right.x - left.x;
    expect(distance(face!.outerLips[0]!, [left.x, left.y]) / mouthWidth).toBeLessThan(0.15);
    expect(distance(face!.outerLips[6]!, [right.x, right.y]) / mouthWidth).toBeLessThan(0.15);
  }, 120_000);

  it('given a picture with no face, when located, then there is none', async () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="720" height="1280"><rect width="720" height="1280" fill="#9cc8f2"/><circle cx="360" cy="500" r="200" fill="#e0b090"/><rect x="160" y="800" width="400" height="300" fill="#28a03c"/></svg>`;
    const { rgb, width, height } = await rgbOf(sharp(Buffer.from(svg)));
    expect(await landmarks.locate(rgb, width, height, 'c'.repeat(64))).toBeUndefined();
  }, 120_000);

  it('given pixels that do not match the size, when located, then it refuses', async () => {
    await expect(landmarks.locate(new Uint8Array(10), 4, 4, 'd'.repeat(64))).rejects.toThrow(
      RangeError,
    );
  });
});
