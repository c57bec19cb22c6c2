import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempDirStorage } from '../testing/pipeline/temp-dir-storage.js';
import { WorkFiles } from './work-files.js';

let storage: TempDirStorage;
const root = join(tmpdir(), `work-files-test-${randomUUID()}`, 'not-yet-created');

beforeAll(async () => {
  storage = await TempDirStorage.create();
  await storage.put('catalog/a.png', Buffer.from('A'), 'image/png');
  await storage.put('generations/g/b.wav', Buffer.from('B'), 'audio/wav');
});

afterAll(async () => {
  await storage.dispose();
  await rm(join(root, '..'), { recursive: true, force: true });
});

describe('WorkFiles', () => {
  it('creates its root, shares one directory between concurrent fetches, and removes it', async () => {
    const files = new WorkFiles(storage, 'g', root);
    const [a, b] = await Promise.all([
      files.fetch('catalog/a.png', 'character'),
      files.fetch('generations/g/b.wav', 'speech'),
    ]);
    expect(a.endsWith('character.png')).toBe(true);
    expect(b.endsWith('speech.wav')).toBe(true);
    expect(await readFile(a, 'utf8')).toBe('A');
    expect(await readdir(root)).toHaveLength(1);
    await files.dispose();
    expect(await readdir(root)).toEqual([]);
  });

  it('does not download again what it rendered and uploaded itself', async () => {
    const files = new WorkFiles(storage, 'g2', root);
    const rendered = await files.path('out.mp4');
    await writeFile(rendered, 'video');
    expect(await files.store('generations/g2/out.mp4', rendered, 'video/mp4')).toBe(5);
    expect(await files.fetch('generations/g2/out.mp4', 'again')).toBe(rendered);
    await files.dispose();
  });
});
