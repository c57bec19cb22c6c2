import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runBinary } from '../../adapters/local/binaries/run-binary.js';
import {
  quietLogger,
  requireMediaTools,
  type MediaTools,
} from '../../testing/media/media-fixtures.js';
import { CatalogImportError } from '../catalog-errors.js';
import {
  manifestFileName,
  readManifest,
  writeManifest,
  type CatalogManifest,
} from '../catalog-manifest.js';
import {
  importCatalogFolder,
  type FaceLocator,
  type ImportCatalogOptions,
} from './import-catalog-folder.js';
import { displayNameFromFile, importedCharacterId } from './import-naming.js';

let tools: MediaTools;
let root: string;
let folder: string;
let catalogDir: string;

beforeAll(async () => {
  tools = await requireMediaTools();
});

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'catalog-import-'));
  folder = join(root, 'operator');
  catalogDir = join(root, 'data', 'catalog');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function image(
  path: string,
  options: {
    width: number;
    height: number;
    format?: 'png' | 'jpeg' | 'gif';
    alpha?: boolean;
    orientation?: number;
  },
) {
  await mkdir(dirname(path), { recursive: true });
  let pipeline = sharp({
    create: {
      width: options.width,
      height: options.height,
      channels: options.alpha ? 4 : 3,
      background: options.alpha ? { r: 200, g: 120, b: 90, alpha: 0.5 } : '#c87a5a',
    },
  });
  if (options.orientation) pipeline = pipeline.withMetadata({ orientation: options.orientation });
  const format = options.format ?? 'png';
  await (
    format === 'png' ? pipeline.png() : format === 'jpeg' ? pipeline.jpeg() : pipeline.gif()
  ).toFile(path);
}

async function opus(path: string, seconds: number) {
  await mkdir(dirname(path), { recursive: true });
  await runBinary(tools.ffmpeg, [
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=330:duration=${seconds}`,
    '-c:a',
    'libopus',
    '-f',
    'ogg',
    path,
  ]);
}

async function json(path: string, value: unknown) {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(value));
}

async function validFolder() {
  await image(join(folder, 'characters/female/adult/anna_smith.png'), { width: 720, height: 1280 });
  await image(join(folder, 'characters/male/senior/Пётр.jpg'), {
    width: 900,
    height: 1200,
    format: 'jpeg',
  });
  // Stored landscape but tagged "rotate 90°": upright it is 600×800, a portrait.
  await image(join(folder, 'characters/male/young/rotated.jpeg'), {
    width: 800,
    height: 600,
    format: 'jpeg',
    orientation: 6,
  });
  await image(join(folder, 'characters/female/young/cutout.png'), {
    width: 600,
    height: 900,
    alpha: true,
  });
  await writeFile(join(folder, 'characters/female/adult/.DS_Store'), 'junk');
  await opus(join(folder, 'voices/rachel.ogg'), 2);
  await json(join(folder, 'voices/rachel.json'), {
    id: '21m00Tcm4TlvDq8ikWAM',
    name: 'Rachel',
    language: 'en',
    gender: 'female',
    provider: 'elevenlabs',
    preview: 'rachel.ogg',
  });
  await json(join(folder, 'voices/dmitry.json'), {
    id: 'dmitry-ru',
    name: 'Дмитрий',
    language: 'ru',
    gender: 'male',
    provider: 'elevenlabs',
  });
}

// The face model is tested on its own (face-landmarks.test.ts); here pictures have no face unless a
// test says so.
const noFaces: FaceLocator = { locate: () => Promise.resolve(undefined) };
const run = (extra: Partial<ImportCatalogOptions> = {}) =>
  importCatalogFolder({
    folder,
    catalogDir,
    logger: quietLogger,
    ffprobePath: tools.ffprobe,
    faceLocator: noFaces,
    ...extra,
  });

const starterManifest: CatalogManifest = {
  version: 1,
  includeStarter: true,
  characters: [
    {
      id: 'f-young-sofia',
      name: 'Sofia',
      gender: 'female',
      age: 'young',
      imageFile: 'characters/f-young-sofia.png',
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
      previewFile: 'voices/espeak-en-f1.ogg',
      origin: 'starter',
    },
  ],
  examples: [],
};

describe('importCatalogFolder', () => {
  it('imports characters (age from the folder) and voices, merging into the starter manifest', async () => {
    await validFolder();
    await mkdir(catalogDir, { recursive: true });
    await writeManifest(join(catalogDir, manifestFileName), starterManifest);

    const report = await run();
    // Folders are read in name order: female before male, adult before senior before young.
    expect(report.characters.added).toEqual([
      'i-f-adult-anna-smith',
      'i-f-young-cutout',
      importedCharacterId('male', 'senior', 'Пётр'),
      'i-m-young-rotated',
    ]);
    expect(report.voices.added).toEqual(['dmitry-ru', '21m00Tcm4TlvDq8ikWAM']);
    expect(report.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/cutout\.png: transparent areas are filled/),
        expect.stringMatching(/dmitry\.json: no preview/),
      ]),
    );
    expect(
      report.warnings.some((w) => w.includes('rotated.jpeg') || w.includes('anna_smith')),
    ).toBe(false);

    const manifest = (await readManifest(join(catalogDir, manifestFileName)))!;
    expect(manifest.characters[0]?.id).toBe('f-young-sofia');
    const anna = manifest.characters.find((c) => c.id === 'i-f-adult-anna-smith')!;
    expect(anna).toMatchObject({
      name: 'Anna Smith',
      gender: 'female',
      age: 'adult',
      imageFile: 'characters/imported/i-f-adult-anna-smith.png',
      origin: 'imported',
    });
    expect(manifest.characters.find((c) => c.age === 'senior')).toMatchObject({
      name: 'Пётр',
      gender: 'male',
      imageFile: expect.stringMatching(/\.jpg$/),
    });
    const rotated = manifest.characters.find((c) => c.id === 'i-m-young-rotated')!;
    expect(await sharp(join(catalogDir, rotated.imageFile)).metadata()).toMatchObject({
      width: 600,
      height: 800,
    });
    const cutout = await sharp(
      join(catalogDir, 'characters/imported/i-f-young-cutout.png'),
    ).metadata();
    expect(cutout.hasAlpha).toBe(false);

    expect(manifest.voices.map((v) => v.id)).toEqual([
      'espeak-en-f1',
      'dmitry-ru',
      '21m00Tcm4TlvDq8ikWAM',
    ]);
    const rachel = manifest.voices.find((v) => v.id === '21m00Tcm4TlvDq8ikWAM')!;
    expect(rachel).toMatchObject({
      provider: 'elevenlabs',
      previewFile: 'voices/imported/21m00Tcm4TlvDq8ikWAM.ogg',
      origin: 'imported',
    });
    expect((await readFile(join(catalogDir, rachel.previewFile!))).subarray(0, 4).toString()).toBe(
      'OggS',
    );
  });

  it('is idempotent, replaces a changed picture in place, and skips the same picture under a new name', async () => {
    await validFolder();
    await run();
    const again = await run();
    expect(again.characters.added).toEqual([]);
    expect(again.characters.unchanged).toHaveLength(4);
    expect(again.voices.unchanged).toHaveLength(2);

    await image(join(folder, 'characters/female/adult/anna_smith.png'), {
      width: 760,
      height: 1300,
    });
    await image(join(folder, 'characters/female/adult/zz_copy.png'), {
      width: 600,
      height: 900,
      alpha: true,
    });
    const changed = await run();
    expect(changed.characters.updated).toEqual(['i-f-adult-anna-smith']);
    expect(
      changed.warnings.some((w) =>
        /zz_copy\.png: skipped, the same picture is already imported as i-f-young-cutout/.test(w),
      ),
    ).toBe(true);
    const manifest = (await readManifest(join(catalogDir, manifestFileName)))!;
    expect(manifest.characters.map((c) => c.id)).toEqual([
      'i-f-adult-anna-smith',
      'i-f-young-cutout',
      importedCharacterId('male', 'senior', 'Пётр'),
      'i-m-young-rotated',
    ]);
    expect(
      await sharp(join(catalogDir, 'characters/imported/i-f-adult-anna-smith.png')).metadata(),
    ).toMatchObject({ width: 760, height: 1300 });
  });

  it('writes nothing on a dry run', async () => {
    await validFolder();
    const report = await run({ dryRun: true });
    expect(report.characters.added).toHaveLength(4);
    expect(await readManifest(join(catalogDir, manifestFileName))).toBeUndefined();
  });

  it('can replace the starter cast', async () => {
    await validFolder();
    await mkdir(catalogDir, { recursive: true });
    await writeManifest(join(catalogDir, manifestFileName), starterManifest);
    const report = await run({ replaceStarter: true });
    expect(report.manifest.includeStarter).toBe(false);
    expect(report.manifest.characters.every((c) => c.origin === 'imported')).toBe(true);
    expect(report.manifest.voices.every((v) => v.origin === 'imported')).toBe(true);
  });

  it('lists every layout mistake at once and writes nothing', async () => {
    await image(join(folder, 'characters/men/adult/a.png'), { width: 600, height: 900 });
    await image(join(folder, 'characters/female/old/b.png'), { width: 600, height: 900 });
    await image(join(folder, 'characters/female/adult/nested/c.png'), { width: 600, height: 900 });
    await image(join(folder, 'characters/female/adult/tiny.png'), { width: 200, height: 300 });
    await image(join(folder, 'characters/female/adult/animated.png'), {
      width: 600,
      height: 900,
      format: 'gif',
    });
    await writeFile(join(folder, 'characters/female/adult/notes.txt'), 'hello');
    await writeFile(join(folder, 'characters/female/adult/broken.jpg'), 'not an image');
    await image(join(folder, 'characters/loose.png'), { width: 600, height: 900 });
    await json(join(folder, 'voices/bad.json'), {
      id: 'x',
      name: 'X',
      language: 'de',
      gender: 'male',
      provider: 'elevenlabs',
    });
    await writeFile(join(folder, 'voices/broken.json'), '{ nope');
    await json(join(folder, 'voices/clash.json'), {
      id: 'espeak-ru-m1',
      name: 'Clash',
      language: 'ru',
      gender: 'male',
      provider: 'espeak-ng',
    });
    await json(join(folder, 'voices/nofile.json'), {
      id: 'nofile',
      name: 'No file',
      language: 'en',
      gender: 'male',
      provider: 'elevenlabs',
      preview: 'missing.ogg',
    });
    await writeFile(join(folder, 'voices/fake.ogg'), 'not audio');
    await json(join(folder, 'voices/fake.json'), {
      id: 'fake',
      name: 'Fake',
      language: 'en',
      gender: 'male',
      provider: 'elevenlabs',
      preview: 'fake.ogg',
    });
    await json(join(folder, 'voices/traversal.json'), {
      id: 'trav',
      name: 'Trav',
      language: 'en',
      gender: 'male',
      provider: 'elevenlabs',
      preview: '../secret.ogg',
    });

    const error = await run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CatalogImportError);
    const problems = (error as CatalogImportError).problems.join('\n');
    for (const expected of [
      /characters\/men: expected a folder named male or female/,
      /characters\/female\/old: expected a folder named young, adult, senior/,
      /characters\/female\/adult\/nested: folders are not allowed/,
      /tiny\.png: 200×300 is too small/,
      /animated\.png: is gif inside, not PNG or JPEG/,
      /notes\.txt: only \.png, \.jpg and \.jpeg/,
      /broken\.jpg: not a readable image/,
      /characters\/loose\.png: expected a folder/,
      /voices\/bad\.json: language/,
      /voices\/broken\.json: not valid JSON/,
      /voices\/clash\.json: id espeak-ru-m1 belongs to a starter voice/,
      /voices\/nofile\.json: preview missing\.ogg is not in the voices folder/,
      /voices\/fake\.json: preview fake\.ogg is not playable audio/,
      /voices\/traversal\.json: preview/,
    ]) {
      expect(problems).toMatch(expected);
    }
    expect((error as CatalogImportError).message).toMatch(/Expected layout/);
    expect(await readManifest(join(catalogDir, manifestFileName))).toBeUndefined();
  });

  it('says so when the folder is missing or has nothing to import', async () => {
    await expect(run()).rejects.toThrow(/is not a folder/);
    await mkdir(join(folder, 'photos'), { recursive: true });
    await expect(run()).rejects.toThrow(/neither a characters\/ nor a voices\/ folder/);
    await mkdir(join(folder, 'characters/male/adult'), { recursive: true });
    await expect(run()).rejects.toThrow(/found no characters and no voices/);
  });
});

describe('importCatalogFolder: faces', () => {
  /**
   * Finds a face in pictures at least 1280 px tall (Anna's), in the bytes it is handed; counts its
   * calls.
   */
  function fakeLocator() {
    const calls: string[] = [];
    const locator: FaceLocator = {
      locate: (_rgb, width, height, imageSha256) => {
        calls.push(imageSha256);
        if (height < 1280) return Promise.resolve(undefined);
        const lips = (y: number, n: number) =>
          Array.from({ length: n }, (_, i) => [300 + i * 10, y] as [number, number]);
        return Promise.resolve({
          imageSha256,
          width,
          height,
          score: 0.9,
          box: { x: 200, y: 300, width: 300, height: 360 },
          outerLips: lips(600, 12),
          innerLips: lips(600, 8),
          detector: 'fake',
        });
      },
    };
    return { locator, calls };
  }

  it('records the face of a picture where one is found, for the stored bytes, and reports the others', async () => {
    await validFolder();
    const { locator, calls } = fakeLocator();
    const report = await run({ faceLocator: locator });
    expect(calls).toHaveLength(4);
    expect(report.faces.found).toEqual(['characters/female/adult/anna_smith.png']);
    expect(report.faces.notFound).toHaveLength(3);
    const manifest = (await readManifest(join(catalogDir, manifestFileName)))!;
    const anna = manifest.characters.find((c) => c.id === 'i-f-adult-anna-smith')!;
    const stored = await readFile(join(catalogDir, anna.imageFile));
    expect(anna.face?.imageSha256).toBe(createHash('sha256').update(stored).digest('hex'));
    expect(anna.face).toMatchObject({ width: 720, height: 1280, detector: 'fake' });
    expect(manifest.characters.filter((c) => c.face)).toHaveLength(1);
  });

  it('keeps the landmarks of an unchanged picture without looking again, and looks again when it changes', async () => {
    await validFolder();
    const first = fakeLocator();
    await run({ faceLocator: first.locator });
    const again = fakeLocator();
    const report = await run({ faceLocator: again.locator });
    expect(report.characters.unchanged).toHaveLength(4);
    // Only the three without a face are looked at again.
    expect(again.calls).toHaveLength(3);
    await image(join(folder, 'characters/female/adult/anna_smith.png'), {
      width: 760,
      height: 1300,
    });
    const changed = fakeLocator();
    await run({ faceLocator: changed.locator });
    const manifest = (await readManifest(join(catalogDir, manifestFileName)))!;
    expect(manifest.characters.find((c) => c.id === 'i-f-adult-anna-smith')!.face).toMatchObject({
      width: 760,
      height: 1300,
    });
  });

  it('imports anyway, saying why, when the face model cannot be loaded', async () => {
    await validFolder();
    const report = await run({
      faceLocator: () => Promise.reject(new Error('@vladmandic/face-api is not installed')),
    });
    expect(report.characters.added).toHaveLength(4);
    expect(report.faces).toMatchObject({
      found: [],
      unavailable: '@vladmandic/face-api is not installed',
    });
    expect(report.faces.notFound).toHaveLength(4);
  });
});

describe('import naming', () => {
  it('turns file names into display names and stable ids', () => {
    expect(displayNameFromFile('anna_smith')).toBe('Anna Smith');
    expect(displayNameFromFile('пётр-иванов')).toBe('Пётр Иванов');
    expect(importedCharacterId('female', 'adult', 'Zoë O’Neil')).toBe('i-f-adult-zoe-o-neil');
    expect(importedCharacterId('male', 'senior', 'Пётр')).toMatch(/^i-m-senior-[0-9a-f]{10}$/);
    expect(importedCharacterId('male', 'senior', 'Пётр')).toBe(
      importedCharacterId('male', 'senior', 'Пётр'),
    );
    expect(importedCharacterId('male', 'young', 'a'.repeat(80)).length).toBeLessThanOrEqual(48);
  });
});
