import { describe, expect, it } from 'vitest';
import type { CatalogManifest } from './catalog-manifest.js';
import { FileCatalog } from './file-catalog.js';

const ages = ['young', 'adult', 'senior'] as const;
const manifest: CatalogManifest = {
  version: 1,
  includeStarter: true,
  characters: Array.from({ length: 10 }, (_, i) => ({
    id: `c${i}`,
    name: `Person ${i}`,
    gender: i % 2 === 0 ? ('male' as const) : ('female' as const),
    age: ages[i % 3]!,
    imageFile: `characters/c${i}.png`,
    origin: 'starter' as const,
  })),
  voices: [
    {
      id: 'v1',
      name: 'One',
      language: 'ru',
      gender: 'male',
      provider: 'espeak-ng',
      previewFile: 'voices/v1.ogg',
      origin: 'starter',
    },
    {
      id: 'v2',
      name: 'Two',
      language: 'en',
      gender: 'female',
      provider: 'elevenlabs',
      origin: 'imported',
    },
  ],
  examples: [
    {
      format: 'talking_head',
      videoFile: 'examples/talking-head.mp4',
      durationSec: 4.5,
      width: 1080,
      height: 1920,
    },
    {
      format: 'background',
      videoFile: 'examples/background.mp4',
      durationSec: 4.5,
      width: 1080,
      height: 1920,
    },
  ],
};

describe('FileCatalog', () => {
  const catalog = new FileCatalog(manifest);

  it('pages characters of one gender, all ages together, in manifest order', async () => {
    const first = await catalog.characters('male', 0, 2);
    expect(first).toMatchObject({ page: 0, pageCount: 3, total: 5 });
    expect(first.items.map((c) => c.id)).toEqual(['c0', 'c2']);
    const all = await catalog.characters('male', 0, 10);
    expect(all.items.map((c) => c.id)).toEqual(['c0', 'c2', 'c4', 'c6', 'c8']);
    expect(new Set(all.items.map((c) => c.age))).toEqual(new Set(ages));
    expect(all.items.every((c) => c.gender === 'male')).toBe(true);
    // Asking twice gives the same order.
    expect((await catalog.characters('male', 1, 2)).items).toEqual(
      (await catalog.characters('male', 1, 2)).items,
    );
  });

  it('maps files to storage keys under catalog/', async () => {
    expect(await catalog.character('c3')).toEqual({
      id: 'c3',
      name: 'Person 3',
      gender: 'female',
      age: 'young',
      imageKey: 'catalog/characters/c3.png',
    });
    expect(await catalog.character('nope')).toBeUndefined();
    expect(await catalog.voice('v1')).toEqual({
      id: 'v1',
      name: 'One',
      language: 'ru',
      gender: 'male',
      provider: 'espeak-ng',
      previewKey: 'catalog/voices/v1.ogg',
    });
    expect(await catalog.voice('v2')).not.toHaveProperty('previewKey');
    expect(await catalog.exampleVideo('background')).toEqual({
      format: 'background',
      videoKey: 'catalog/examples/background.mp4',
      durationSec: 4.5,
      width: 1080,
      height: 1920,
    });
    expect(catalog.storageKeys()).toHaveLength(10 + 1 + 2);
  });

  it('pages voices', async () => {
    const page = await catalog.voices(1, 1);
    expect(page).toMatchObject({ page: 1, pageCount: 2, total: 2 });
    expect(page.items[0]?.id).toBe('v2');
  });

  it('has no example for a format the manifest lacks', async () => {
    expect(
      await new FileCatalog({ ...manifest, examples: [] }).exampleVideo('talking_head'),
    ).toBeUndefined();
  });
});
