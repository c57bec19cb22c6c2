import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedBinary } from '../adapters/local/binaries/resolved-binary.js';
import { espeakVoices } from '../adapters/local/speech/espeak-voices.js';
import {
  quietLogger,
  requireEspeak,
  requireMediaTools,
  type MediaTools,
} from '../testing/media/media-fixtures.js';
import { LocalFileStorage } from '../adapters/local/storage/local-file-storage.js';
import { InvalidCatalogManifestError } from './catalog-errors.js';
import { manifestFileName, readManifest, writeManifest } from './catalog-manifest.js';
import { ensureCatalog, type EnsureCatalogOptions } from './ensure-catalog.js';
import { starterCharacters } from './starter/starter-characters.js';

let tools: MediaTools;
let espeak: ResolvedBinary;
let dataDir: string;
let options: EnsureCatalogOptions;
let storage: LocalFileStorage;

beforeAll(async () => {
  [tools, espeak] = await Promise.all([requireMediaTools(), requireEspeak()]);
  dataDir = await mkdtemp(join(tmpdir(), 'ensure-catalog-'));
  storage = new LocalFileStorage({ rootDir: join(dataDir, 'files'), logger: quietLogger });
  options = {
    dataDir,
    storage,
    log: quietLogger,
    // Two characters and a voice keep it quick; the examples are covered by the build test.
    build: {
      characters: starterCharacters.filter(
        (c) => c.id === 'm-young-daniel' || c.id === 'f-young-sofia',
      ),
      voices: espeakVoices.slice(0, 1),
      example: false,
      ffmpegPath: tools.ffmpeg,
      ffprobePath: tools.ffprobe,
      espeakBinary: espeak,
    },
  };
}, 60_000);

afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('ensureCatalog', () => {
  it('builds the catalog on a fresh data folder and puts its files into storage', async () => {
    const catalog = await ensureCatalog(options);
    const page = await catalog.characters('female', 0, 8);
    expect(page.items.map((c) => c.id)).toEqual(['f-young-sofia']);
    const sofia = page.items[0]!;
    expect(await storage.stat(sofia.imageKey)).toMatchObject({ contentType: 'image/png' });
    const voice = (await catalog.voices(0, 8)).items[0]!;
    expect(voice.previewKey).toBe(`catalog/voices/${voice.id}.ogg`);
    expect(await storage.stat(voice.previewKey!)).toMatchObject({ contentType: 'audio/ogg' });
    // A link to a catalog file works like any other stored file.
    expect(await storage.signedUrl(sofia.imageKey, 60)).toMatch(
      /^http:\/\/localhost:8080\/files\//,
    );
  });

  it('copies nothing on a second start', async () => {
    const key = 'catalog/characters/m-young-daniel.png';
    const before = (await stat(storage.pathOf(key))).mtimeMs;
    await ensureCatalog(options);
    expect((await stat(storage.pathOf(key))).mtimeMs).toBe(before);
  });

  it('refuses a manifest that names files that are not there', async () => {
    const manifestPath = join(dataDir, 'catalog', manifestFileName);
    const manifest = (await readManifest(manifestPath))!;
    await writeManifest(manifestPath, {
      ...manifest,
      characters: [
        ...manifest.characters,
        {
          id: 'i-f-adult-gone',
          name: 'Gone',
          gender: 'female',
          age: 'adult',
          imageFile: 'characters/imported/gone.png',
          origin: 'imported',
        },
      ],
    });
    await expect(ensureCatalog(options)).rejects.toBeInstanceOf(InvalidCatalogManifestError);
    await expect(ensureCatalog(options)).rejects.toThrow(
      /characters\/imported\/gone\.png is listed but missing/,
    );
  });
});
