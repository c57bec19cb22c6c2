import { describe, expect, it } from 'vitest';
import { estimateBackdrop } from './color-key-segmenter.js';
import { completeOnPlainBackdrop } from './plain-backdrop-reference.js';

const width = 90;
const height = 160;
const sky: Rgb = [156, 200, 242];
type Rgb = readonly [number, number, number];
type Part = 'backdrop' | 'head' | 'clothing' | 'lamp' | 'collar';

/**
 * An illustration-like portrait: a head on a neck on a torso, a lamp off to the side, a collar the
 * colour of the backdrop.
 */
function partAt(x: number, y: number): Part {
  if (Math.hypot(x - 45, y - 55) < 22) return 'head';
  if (y > 102 && y < 110 && Math.abs(x - 45) < 4) return 'collar';
  if (y >= 70 && y <= 100 && Math.abs(x - 45) < 8) return 'head'; // the neck
  if (y > 100 && Math.abs(x - 45) < 34) return 'clothing';
  if (Math.hypot(x - 80, y - 20) < 6) return 'lamp';
  return 'backdrop';
}

const colours: Record<Part, Rgb> = {
  backdrop: sky,
  head: [232, 182, 142],
  clothing: [228, 87, 46],
  lamp: [250, 230, 90],
  collar: sky,
};

function scene(backdropAt: (x: number, y: number) => Rgb = () => sky): {
  rgb: Uint8Array;
  parts: Part[];
} {
  const rgb = new Uint8Array(width * height * 3);
  const parts: Part[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const part = partAt(x, y);
      const colour = part === 'backdrop' ? backdropAt(x, y) : colours[part];
      rgb.set(colour, (y * width + x) * 3);
      parts.push(part);
    }
  }
  return { rgb, parts };
}

/**
 * What a photo-trained model returns on such a drawing: the face (and the collar it guessed), not
 * the clothes.
 */
function modelMask(parts: readonly Part[]): Float32Array {
  return Float32Array.from(parts, (part) => (part === 'head' || part === 'collar' ? 0.97 : 0.02));
}

const count = (mask: Float32Array, parts: readonly Part[], part: Part) =>
  parts.filter((p, i) => p === part && mask[i]! >= 0.5).length;
const total = (parts: readonly Part[], part: Part) => parts.filter((p) => p === part).length;

describe('completeOnPlainBackdrop', () => {
  it('given a plain backdrop, when the model kept only the face, then the clothing it touches joins the person', () => {
    const { rgb, parts } = scene();
    const completed = completeOnPlainBackdrop(
      modelMask(parts),
      rgb,
      width,
      height,
      estimateBackdrop(rgb, width, height),
    );
    expect(count(completed, parts, 'clothing')).toBe(total(parts, 'clothing'));
    expect(count(completed, parts, 'head')).toBe(total(parts, 'head'));
  });

  it('keeps out key regions that do not touch the person, and keeps what only the model found', () => {
    const { rgb, parts } = scene();
    const completed = completeOnPlainBackdrop(
      modelMask(parts),
      rgb,
      width,
      height,
      estimateBackdrop(rgb, width, height),
    );
    expect(count(completed, parts, 'lamp')).toBe(0);
    expect(count(completed, parts, 'backdrop')).toBe(0);
    // The collar is the backdrop's colour: the key misses it, the model's answer stands.
    expect(count(completed, parts, 'collar')).toBe(total(parts, 'collar'));
  });

  it('leaves the model mask alone when the backdrop is not plain', () => {
    const { rgb, parts } = scene((x, y) => [
      120 + 90 * Math.sin(x / 3),
      140 + 80 * Math.cos(y / 4),
      90 + 60 * Math.sin((x + y) / 5),
    ]);
    const backdrop = estimateBackdrop(rgb, width, height);
    expect(backdrop.unevenness).toBeGreaterThan(0.12);
    const model = modelMask(parts);
    expect(completeOnPlainBackdrop(model, rgb, width, height, backdrop)).toBe(model);
  });

  it('leaves the model mask alone on a grainy wall that the colour key would still call plain', () => {
    const grain = (x: number, y: number) =>
      22 * Math.sin(x * 12.9898 + y * 78.233) * Math.cos(x * 4.1414 - y * 3.7);
    const { rgb, parts } = scene((x, y) => [
      188 + grain(x, y),
      187 + grain(y, x),
      182 + grain(x + 7, y),
    ]);
    const backdrop = estimateBackdrop(rgb, width, height);
    expect(backdrop.unevenness).toBeGreaterThan(0.05);
    expect(backdrop.unevenness).toBeLessThanOrEqual(0.12);
    const model = modelMask(parts);
    expect(completeOnPlainBackdrop(model, rgb, width, height, backdrop)).toBe(model);
  });

  it('leaves the model mask alone when only the border is plain and the room behind the person is not', () => {
    // A plain strip along the top and sides (where the backdrop is read), shelves everywhere else.
    const { rgb, parts } = scene((x, y) =>
      y < 8 || x < 3 || x >= width - 3
        ? sky
        : [
            110 + 100 * Math.sin(x / 2),
            90 + 80 * Math.cos(y / 3),
            60 + 50 * Math.sin((x * y) / 40),
          ],
    );
    const backdrop = estimateBackdrop(rgb, width, height);
    expect(backdrop.unevenness).toBeLessThanOrEqual(0.05);
    const model = modelMask(parts);
    expect(completeOnPlainBackdrop(model, rgb, width, height, backdrop)).toBe(model);
  });

  it('given a model mask that touches nothing the key found, then nothing is added', () => {
    const { rgb, parts } = scene();
    const nothing = new Float32Array(width * height);
    const completed = completeOnPlainBackdrop(
      nothing,
      rgb,
      width,
      height,
      estimateBackdrop(rgb, width, height),
    );
    expect(completed.every((v) => v === 0)).toBe(true);
    expect(parts.length).toBe(width * height);
  });
});
