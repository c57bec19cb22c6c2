import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBinary } from '../binaries/run-binary.js';
import { ensureMask, maskFileName } from './shape-masks.js';
import {
  requireMediaTools,
  tempDir,
  type MediaTools,
} from '../../../testing/media/media-fixtures.js';

let tools: MediaTools;
let dir: string;

beforeAll(async () => {
  tools = await requireMediaTools();
  dir = await tempDir('masks-test');
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function gray(path: string): Promise<Uint8Array> {
  const { stdout } = await runBinary(tools.ffmpeg, [
    '-v',
    'error',
    '-i',
    path,
    '-f',
    'rawvideo',
    '-pix_fmt',
    'gray',
    'pipe:1',
  ]);
  return stdout;
}

describe('ensureMask', () => {
  it('draws an anti-aliased circle once and reuses it', async () => {
    const spec = { shape: 'circle', width: 100, height: 100 } as const;
    const [first, second] = await Promise.all([
      ensureMask(tools.ffmpeg, dir, spec),
      ensureMask(tools.ffmpeg, dir, spec),
    ]);
    expect(first).toBe(second);
    expect(first).toBe(join(dir, maskFileName(spec)));
    const pixels = await gray(first);
    expect(pixels).toHaveLength(100 * 100);
    expect(pixels[50 * 100 + 50]).toBe(255);
    expect(pixels[0]).toBe(0);
    expect(pixels[50 * 100 + 0]).toBeGreaterThan(0); // the edge touches the border, softly
    const edge = [...pixels].filter((v) => v > 0 && v < 255).length;
    expect(edge).toBeGreaterThan(100);
  });

  it('draws rounded corners and a ring', async () => {
    const rect = await gray(
      await ensureMask(tools.ffmpeg, dir, {
        shape: 'rounded_rect',
        width: 80,
        height: 120,
        radius: 20,
      }),
    );
    expect(rect[0]).toBe(0);
    expect(rect[60 * 80 + 1]).toBe(255);
    // The outermost row is half covered (the anti-aliased edge), the next one fully.
    expect(rect[119 * 80 + 40]).toBeGreaterThan(100);
    expect(rect[119 * 80 + 40]).toBeLessThan(160);
    expect(rect[118 * 80 + 40]).toBe(255);
    const ring = await gray(
      await ensureMask(tools.ffmpeg, dir, {
        shape: 'rounded_rect',
        width: 80,
        height: 120,
        radius: 20,
        ring: 4,
      }),
    );
    expect(ring[60 * 80 + 40]).toBe(0);
    expect(ring[60 * 80 + 1]).toBe(255);
  });
});
