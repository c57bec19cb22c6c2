import { describe, expect, it } from 'vitest';
import type { Point } from '../../../catalog/photo-face.js';
import { maxOpeningShare, MouthRig, polylineY } from './mouth-rig.js';

const width = 400;
const height = 400;

/**
 * A face-coloured picture with a horizontal mouth: lips 120 px wide from x 140 to 260, parting
 * at y 200, and a vertical gradient so that moved rows can be told apart.
 */
function picture(): { rgb: Uint8Array; outer: Point[]; inner: Point[] } {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      rgb[i] = 220;
      rgb[i + 1] = 170 - Math.floor(y / 8);
      rgb[i + 2] = 150;
    }
  }
  const outer: Point[] = [
    [140, 200],
    [160, 190],
    [180, 186],
    [200, 188],
    [220, 186],
    [240, 190],
    [260, 200],
    [240, 212],
    [220, 216],
    [200, 217],
    [180, 216],
    [160, 212],
  ];
  const inner: Point[] = [
    [145, 200],
    [170, 199],
    [200, 199],
    [230, 199],
    [255, 200],
    [230, 201],
    [200, 201],
    [170, 201],
  ];
  return { rgb, outer, inner };
}

const darkPixels = (rgba: Uint8Array) => {
  let n = 0;
  for (let i = 0; i < rgba.length; i += 4) if (rgba[i]! < 90 && rgba[i + 1]! < 50) n++;
  return n;
};

describe('MouthRig', () => {
  const { rgb, outer, inner } = picture();
  const rig = new MouthRig(rgb, width, height, { outer, inner });
  const { box } = rig;
  const patchOf = (rgba: Uint8Array, x: number, y: number) => {
    const i = ((y - box.y) * box.width + (x - box.x)) * 4;
    return [rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]];
  };
  const pictureAt = (x: number, y: number) => {
    const i = (y * width + x) * 3;
    return [rgb[i], rgb[i + 1], rgb[i + 2], 255];
  };

  it('given a closed mouth (share 0), when a frame is made, then it is the picture itself', () => {
    const frame = rig.frame(0);
    for (const [x, y] of [
      [box.x, box.y],
      [200, 200],
      [200, 230],
      [box.x + box.width - 1, box.y + box.height - 1],
    ] as const) {
      expect(patchOf(frame, x, y)).toEqual(pictureAt(x, y));
    }
    expect(darkPixels(frame)).toBe(0);
  });

  it('given a wide-open mouth, when a frame is made, then a dark gap opens under the parting line, deepest in the middle and nothing at the corners', () => {
    const frame = rig.frame(1);
    const open = rig.openingPixels(1);
    expect(open).toBeCloseTo(maxOpeningShare * 120, 5);
    // In the middle the gap spans from the parting line to the opening's depth.
    expect(patchOf(frame, 200, 200 + Math.floor(open / 2))[0]).toBeLessThan(70);
    expect(patchOf(frame, 200, 195)).toEqual(pictureAt(200, 195));
    // Beyond the corners nothing moves.
    expect(patchOf(frame, 130, 205)).toEqual(pictureAt(130, 205));
    // Under the gap the picture moved down by the opening: the row at the parting line's depth
    // shows what was above it.
    const below = patchOf(frame, 200, 200 + Math.ceil(open) + 4);
    const from = pictureAt(200, 200 + 4);
    expect(Math.abs(below[1]! - from[1]!)).toBeLessThanOrEqual(1);
  });

  it('given more opening, when frames are made, then the gap grows with it', () => {
    const counts = [0.2, 0.5, 1].map((share) => darkPixels(rig.frame(share)));
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[1]).toBeGreaterThan(counts[0]!);
    expect(counts[2]).toBeGreaterThan(counts[1]!);
  });

  it('given any opening, when a frame is made, then its edges are the picture unchanged, so the patch joins it seamlessly', () => {
    const frame = rig.frame(1);
    for (let x = box.x; x < box.x + box.width; x += 7) {
      expect(patchOf(frame, x, box.y)).toEqual(pictureAt(x, box.y));
      expect(patchOf(frame, x, box.y + box.height - 1)).toEqual(
        pictureAt(x, box.y + box.height - 1),
      );
    }
    for (let y = box.y; y < box.y + box.height; y += 7) {
      expect(patchOf(frame, box.x, y)).toEqual(pictureAt(box.x, y));
      expect(patchOf(frame, box.x + box.width - 1, y)).toEqual(pictureAt(box.x + box.width - 1, y));
    }
  });

  it('given lips with the wrong number of points, when rigged, then it refuses', () => {
    expect(() => new MouthRig(rgb, width, height, { outer: outer.slice(1), inner })).toThrow(
      RangeError,
    );
  });
});

describe('polylineY', () => {
  it('interpolates between points and holds the ends flat', () => {
    const line: Point[] = [
      [0, 10],
      [10, 20],
      [20, 0],
    ];
    expect(polylineY(line, -5)).toBe(10);
    expect(polylineY(line, 5)).toBe(15);
    expect(polylineY(line, 15)).toBe(10);
    expect(polylineY(line, 30)).toBe(0);
  });
});
