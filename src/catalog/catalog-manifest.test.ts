import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidCatalogManifestError } from './catalog-errors.js';
import {
  catalogManifestSchema,
  emptyManifest,
  manifestFiles,
  parseManifest,
  readManifest,
  writeManifest,
  type CatalogManifest,
} from './catalog-manifest.js';

export const sampleManifest: CatalogManifest = {
  version: 1,
  includeStarter: true,
  characters: [
    {
      id: 'm-young-a',
      name: 'A',
      gender: 'male',
      age: 'young',
      imageFile: 'characters/a.png',
      origin: 'starter',
    },
    {
      id: 'f-adult-b',
      name: 'B',
      gender: 'female',
      age: 'adult',
      imageFile: 'characters/b.png',
      origin: 'starter',
    },
  ],
  voices: [
    {
      id: 'espeak-en-f1',
      name: 'Emily',
      language: 'en',
      gender: 'female',
      provider: 'espeak-ng',
      previewFile: 'voices/e.ogg',
      origin: 'starter',
    },
  ],
  examples: [
    {
      format: 'talking_head',
      videoFile: 'examples/th.mp4',
      durationSec: 4.2,
      width: 1080,
      height: 1920,
    },
  ],
};

describe('catalog manifest', () => {
  it('accepts a valid manifest and lists its files', () => {
    expect(parseManifest(sampleManifest, 'x')).toEqual(sampleManifest);
    expect(manifestFiles(sampleManifest)).toEqual([
      'characters/a.png',
      'characters/b.png',
      'voices/e.ogg',
      'examples/th.mp4',
    ]);
  });

  it.each([
    [
      'a traversing file',
      { characters: [{ ...sampleManifest.characters[0], imageFile: '../secret.png' }] },
    ],
    [
      'an absolute file',
      { characters: [{ ...sampleManifest.characters[0], imageFile: '/etc/passwd' }] },
    ],
    [
      'a dot-file',
      { characters: [{ ...sampleManifest.characters[0], imageFile: 'characters/.hidden.png' }] },
    ],
    ['an unknown age', { characters: [{ ...sampleManifest.characters[0], age: 'teen' }] }],
    ['an id with spaces', { characters: [{ ...sampleManifest.characters[0], id: 'has space' }] }],
    ['duplicate ids', { characters: [sampleManifest.characters[0], sampleManifest.characters[0]] }],
    [
      'two examples of a format',
      { examples: [sampleManifest.examples[0], sampleManifest.examples[0]] },
    ],
  ])('rejects %s', (_name, change) => {
    expect(catalogManifestSchema.safeParse({ ...sampleManifest, ...change }).success).toBe(false);
  });

  it('reads what it writes, and reports missing and broken files clearly', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'manifest-'));
    try {
      const path = join(dir, 'catalog.json');
      expect(await readManifest(path)).toBeUndefined();
      await writeManifest(path, sampleManifest);
      expect(await readManifest(path)).toEqual(sampleManifest);
      expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(sampleManifest);
      await writeFile(path, '{ "version": 1, "characters": [');
      await expect(readManifest(path)).rejects.toBeInstanceOf(InvalidCatalogManifestError);
      await writeFile(path, JSON.stringify({ ...emptyManifest(), voices: [{ id: 'x' }] }));
      await expect(readManifest(path)).rejects.toThrow(/voices\.0\.name/);
      await expect(
        writeManifest(path, { ...sampleManifest, version: 2 } as unknown as CatalogManifest),
      ).rejects.toBeInstanceOf(InvalidCatalogManifestError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
