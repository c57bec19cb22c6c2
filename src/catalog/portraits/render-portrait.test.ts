import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  estimateBackdrop,
  findSubject,
} from '../../adapters/local/segmentation/color-key-segmenter.js';
import { starterCharacters } from '../starter/starter-characters.js';
import { parseHex } from './colour.js';
import { renderPortraitPng } from './render-portrait.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'portrait-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('renderPortraitPng', () => {
  it.each([
    starterCharacters.find((c) => c.age === 'senior')!,
    starterCharacters.find((c) => c.portrait.hair.style === 'afro')!,
  ])('draws $id as a 1080×1920 PNG on a plain backdrop the cut-out can key', async (character) => {
    const path = join(dir, `${character.id}.png`);
    const result = await renderPortraitPng(character.portrait, path);
    expect(result).toMatchObject({ width: 1080, height: 1920 });
    expect(await sharp(path).metadata()).toMatchObject({
      format: 'png',
      width: 1080,
      height: 1920,
    });

    // What the colleague's colour-key segmenter sees: the same thumbnail it samples.
    const { data } = await sharp(path)
      .resize(108, 192, { kernel: 'linear' })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const backdrop = estimateBackdrop(data, 108, 192);
    expect(backdrop.rgb).toEqual(parseHex(character.portrait.backdrop));
    expect(backdrop.unevenness).toBe(0);
    const subject = findSubject(data, 108, 192, backdrop);
    expect(subject).toBeDefined();
    // Head and shoulders: the person is centred, reaches the bottom, and leaves sky above.
    expect(subject!.y).toBeGreaterThan(0.1);
    expect(subject!.y).toBeLessThan(0.3);
    expect(subject!.y + subject!.height).toBeGreaterThan(0.99);
    expect(Math.abs(subject!.x + subject!.width / 2 - 0.5)).toBeLessThan(0.03);
  });
});
