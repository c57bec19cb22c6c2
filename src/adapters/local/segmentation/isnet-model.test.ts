import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assembledModel } from './isnet-model.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'isnet-model-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('assembledModel', () => {
  it('given the package’s chunks listed out of order, when assembled, then one file holds them in offset order, and it is reused after', async () => {
    await writeFile(join(dir, 'b'), Buffer.from('world'));
    await writeFile(join(dir, 'a'), Buffer.from('hello '));
    const entry = {
      size: 11,
      chunks: [
        { hash: 'b', offsets: [6, 11] as [number, number] },
        { hash: 'a', offsets: [0, 6] as [number, number] },
      ],
    };
    const path = join(dir, 'models', 'model.onnx');
    expect(await assembledModel(dir, entry, path)).toBe(path);
    expect((await readFile(path)).toString()).toBe('hello world');
    const written = (await stat(path)).mtimeMs;
    await rm(join(dir, 'a'));
    // The chunks are not read again once the file is there with the right size.
    expect(await assembledModel(dir, entry, path)).toBe(path);
    expect((await stat(path)).mtimeMs).toBe(written);
  });

  it('given chunks that do not add up to the model’s size, when assembled, then it refuses and leaves no file', async () => {
    await writeFile(join(dir, 'a'), Buffer.from('short'));
    const path = join(dir, 'model.onnx');
    await expect(
      assembledModel(dir, { size: 99, chunks: [{ hash: 'a', offsets: [0, 5] }] }, path),
    ).rejects.toThrow(/do not add up/);
    await expect(stat(path)).rejects.toThrow();
  });
});
