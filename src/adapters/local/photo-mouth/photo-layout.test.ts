import { describe, expect, it } from 'vitest';
import type { PhotoFace } from '../../../catalog/photo-face.js';
import { buildPhotoMouthGraph, layPhoto, stageHeight, stageWidth } from './photo-layout.js';

function face(width: number, height: number, centre: { x: number; y: number }): PhotoFace {
  const lips = (dx: number): [number, number][] =>
    Array.from(
      { length: 12 },
      (_, i) => [centre.x - dx + (2 * dx * (i % 7)) / 6, centre.y + 40] as [number, number],
    );
  return {
    imageSha256: 'a'.repeat(64),
    width,
    height,
    score: 0.9,
    box: { x: centre.x - 100, y: centre.y - 120, width: 200, height: 240 },
    outerLips: lips(50),
    innerLips: lips(45).slice(0, 8),
    detector: 'test',
  };
}

describe('layPhoto', () => {
  it('given a tall photo, when laid on the stage, then it covers the stage and its lips scale with it', () => {
    const layout = layPhoto(face(1080, 1920, { x: 540, y: 700 }));
    expect(layout.scaledWidth).toBeGreaterThanOrEqual(stageWidth);
    expect(layout.scaledHeight).toBeGreaterThanOrEqual(stageHeight);
    expect(layout.lips.outer[0]![0]).toBeCloseTo(490 * layout.scale - layout.cropX, 5);
    expect(layout.lips.outer[0]![1]).toBeCloseTo(740 * layout.scale - layout.cropY, 5);
  });

  it('given a wide photo with the face off centre, when laid, then the crop follows the face and stays inside the photo', () => {
    const layout = layPhoto(face(2000, 1000, { x: 1500, y: 400 }));
    const faceX = 1500 * layout.scale - layout.cropX;
    expect(Math.abs(faceX - stageWidth / 2)).toBeLessThan(2);
    expect(layout.cropX + stageWidth).toBeLessThanOrEqual(layout.scaledWidth);
    expect(layout.cropY).toBeGreaterThanOrEqual(0);
  });

  it('given a face at the photo’s edge, when laid, then the crop stops at the edge rather than leaving the photo', () => {
    const layout = layPhoto(face(2000, 1000, { x: 1950, y: 400 }));
    expect(layout.cropX).toBe(layout.scaledWidth - stageWidth);
  });
});

describe('buildPhotoMouthGraph', () => {
  it('lays the mouth patch at its place on the looped stage, then crops the frame out of it', () => {
    const graph = buildPhotoMouthGraph({ x: 457, y: 757 });
    expect(graph).toContain('overlay=x=457:y=757');
    expect(graph).toContain('loop=loop=-1:size=1');
    expect(graph).toContain('crop=1080:1920');
    expect(graph.endsWith('[v]')).toBe(true);
  });
});
