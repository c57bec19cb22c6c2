import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { espeakVoices } from '../../adapters/local/speech/espeak-voices.js';
import {
  ffprobeJson,
  quietLogger,
  requireEspeak,
  requireMediaTools,
  type MediaTools,
} from '../../testing/media/media-fixtures.js';
import type { ResolvedBinary } from '../../adapters/local/binaries/resolved-binary.js';
import { manifestFileName, readManifest, writeManifest } from '../catalog-manifest.js';
import {
  buildStarterCatalog,
  type BuildStarterCatalogOptions,
  type CatalogBuildReport,
} from './build-starter-catalog.js';
import { starterExample } from './example-videos.js';
import { starterCharacters } from './starter-characters.js';

// One character and one voice: the generators are the same for all of them, and the full cast
// would make this test slow. The example is made from them, as in the real build.
const character = starterCharacters.find((c) => c.id === starterExample.characterId)!;
const voice = espeakVoices.find((v) => v.id === starterExample.voiceId)!;

let tools: MediaTools;
let espeak: ResolvedBinary;
let dir: string;
let cold: CatalogBuildReport;
let options: BuildStarterCatalogOptions;

beforeAll(async () => {
  [tools, espeak] = await Promise.all([requireMediaTools(), requireEspeak()]);
  dir = await mkdtemp(join(tmpdir(), 'catalog-build-'));
  options = {
    catalogDir: dir,
    logger: quietLogger,
    characters: [character],
    voices: [voice],
    ffmpegPath: tools.ffmpeg,
    ffprobePath: tools.ffprobe,
    espeakBinary: espeak,
    preset: 'ultrafast',
  };
  cold = await buildStarterCatalog(options);
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('buildStarterCatalog', () => {
  it('makes a portrait, a voice preview, both examples and a manifest', async () => {
    expect([...cold.built].sort()).toEqual([
      'characters/f-adult-elena.png',
      'examples/background.mp4',
      'examples/talking-head.mp4',
      'voices/espeak-ru-f1.ogg',
    ]);
    const manifest = await readManifest(join(dir, manifestFileName));
    expect(manifest).toEqual(cold.manifest);
    expect(manifest?.characters).toEqual([
      {
        id: 'f-adult-elena',
        name: 'Elena',
        gender: 'female',
        age: 'adult',
        imageFile: 'characters/f-adult-elena.png',
        origin: 'starter',
      },
    ]);
    expect(manifest?.voices).toEqual([
      {
        id: 'espeak-ru-f1',
        name: 'Анна',
        language: 'ru',
        languages: ['ru'],
        gender: 'female',
        provider: 'espeak-ng',
        previewFile: 'voices/espeak-ru-f1.ogg',
        origin: 'starter',
      },
    ]);

    expect(await sharp(join(dir, 'characters/f-adult-elena.png')).metadata()).toMatchObject({
      format: 'png',
      width: 1080,
      height: 1920,
    });

    const preview = await ffprobeJson(tools, join(dir, 'voices/espeak-ru-f1.ogg'));
    expect(preview.format.format_name).toBe('ogg');
    expect(preview.streams[0]).toMatchObject({ codec_type: 'audio', codec_name: 'opus' });
    expect(Number(preview.format.duration)).toBeGreaterThan(2);
    expect(Number(preview.format.duration)).toBeLessThan(10);

    for (const example of manifest!.examples) {
      const probed = await ffprobeJson(tools, join(dir, example.videoFile));
      const video = probed.streams.find((s) => s.codec_type === 'video');
      expect(video, example.format).toMatchObject({
        codec_name: 'h264',
        width: 1080,
        height: 1920,
      });
      expect(probed.streams.some((s) => s.codec_type === 'audio' && s.codec_name === 'aac')).toBe(
        true,
      );
      expect(example).toMatchObject({ width: 1080, height: 1920 });
      expect(Math.abs(Number(probed.format.duration) - example.durationSec)).toBeLessThan(0.1);
    }
    const [head, background] = manifest!.examples;
    expect(head?.format).toBe('talking_head');
    expect(Math.abs(background!.durationSec - head!.durationSec)).toBeLessThan(0.2);
  });

  it('does nothing on a second run, without starting any program', async () => {
    const warm = await buildStarterCatalog({
      ...options,
      ffmpegPath: '/nonexistent/ffmpeg',
      ffprobePath: '/nonexistent/ffprobe',
      espeakBinary: {
        kind: 'executable',
        tool: 'espeak-ng',
        source: 'env',
        path: '/nonexistent/espeak-ng',
      },
    });
    expect(warm.built).toEqual([]);
    expect(warm.reused).toHaveLength(4);
    expect(warm.manifestChanged).toBe(false);
    expect(warm.durationMs).toBeLessThan(2000);
  });

  it('remakes only a file that was changed by hand, and keeps imported entries', async () => {
    const manifestPath = join(dir, manifestFileName);
    const manifest = (await readManifest(manifestPath))!;
    const imported = {
      id: 'i-m-adult-bob',
      name: 'Bob',
      gender: 'male' as const,
      age: 'adult' as const,
      imageFile: 'characters/imported/i-m-adult-bob.png',
      origin: 'imported' as const,
    };
    await writeManifest(manifestPath, {
      ...manifest,
      characters: [...manifest.characters, imported],
    });
    await writeFile(join(dir, 'voices/espeak-ru-f1.ogg'), 'not audio any more');

    const report = await buildStarterCatalog(options);
    expect(report.built).toEqual(['voices/espeak-ru-f1.ogg']);
    expect(report.manifest.characters.map((c) => c.id)).toEqual(['f-adult-elena', 'i-m-adult-bob']);
    expect((await readFile(join(dir, 'voices/espeak-ru-f1.ogg'))).subarray(0, 4).toString()).toBe(
      'OggS',
    );
  });
});
