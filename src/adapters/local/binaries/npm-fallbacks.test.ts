import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EspeakSpeechSynthesizer } from '../speech/espeak-speech.js';
import { FfmpegCompositor } from '../compositor/ffmpeg-compositor.js';
import { FfprobeMediaProbe } from '../probe/ffprobe-probe.js';
import { LocalPortraitRenderer } from '../talking-head/portrait-renderer.js';
import {
  makeColorClip,
  makePortrait,
  quietLogger,
  tempDir,
} from '../../../testing/media/media-fixtures.js';
import { parseWav } from '../speech/wav-file.js';
import { installedNpmFallbacks } from './npm-fallbacks.js';
import { resolveBinary } from './resolve-binary.js';
import { runBinary } from './run-binary.js';

/**
 * The npm copies are what a machine without apt packages runs, so they are exercised for real
 * here (PATH emptied so resolution has to pick them), each when its optional package is installed.
 */
const npmFfmpeg = installedNpmFallbacks.ffmpeg();
const npmFfprobe = installedNpmFallbacks.ffprobe();
const npmEspeak = installedNpmFallbacks.espeakNgModule();
const npmOnly = { env: { PATH: '' } };

let dir: string;
beforeAll(async () => {
  dir = await tempDir('npm-fallbacks');
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('npm fallbacks', () => {
  it.skipIf(!npmFfmpeg || !npmFfprobe)(
    'the npm ffmpeg and ffprobe render and check a portrait and a composite (skipped when @ffmpeg-installer/@ffprobe-installer are absent)',
    async () => {
      const [ffmpeg, ffprobe] = await Promise.all([
        resolveBinary('ffmpeg', npmOnly),
        resolveBinary('ffprobe', npmOnly),
      ]);
      expect(ffmpeg).toMatchObject({ source: 'npm', kind: 'executable' });
      expect(ffprobe).toMatchObject({ source: 'npm', kind: 'executable' });
      if (ffmpeg.kind !== 'executable' || ffprobe.kind !== 'executable')
        throw new Error('unreachable');
      expect(ffmpeg.version).toMatch(/^ffmpeg version/);
      expect(ffprobe.version).toMatch(/^ffprobe version/);

      const tools = { ffmpeg: ffmpeg.path, ffprobe: ffprobe.path };
      const probe = new FfprobeMediaProbe({
        ffmpegPath: ffmpeg.path,
        ffprobePath: ffprobe.path,
        logger: quietLogger,
      });
      const speech = join(dir, 'tone.m4a');
      await makeColorClip(tools, join(dir, 'bg.mp4'), { seconds: 1, color: '0xD02020' });
      await runBinary(ffmpeg.path, [
        '-v',
        'error',
        '-y',
        '-f',
        'lavfi',
        '-i',
        'sine=duration=1.5',
        '-c:a',
        'aac',
        speech,
      ]);
      const image = await makePortrait(tools, join(dir, 'portrait.png'), {
        width: 360,
        height: 360,
      });

      const head = await new LocalPortraitRenderer({
        ffmpegPath: ffmpeg.path,
        probe,
        logger: quietLogger,
      }).render({
        imagePath: image,
        audioPath: speech,
        outputPath: join(dir, 'head.mp4'),
      });
      expect(head).toMatchObject({ width: 1080, height: 1920 });
      const composite = await new FfmpegCompositor({
        ffmpegPath: ffmpeg.path,
        probe,
        logger: quietLogger,
        maskDir: join(dir, 'masks'),
      }).composite({
        backgroundPath: join(dir, 'bg.mp4'),
        talkingHeadPath: head.path,
        shape: 'cutout',
        words: [{ word: 'Привет', start: 0, end: 1 }],
        outputPath: join(dir, 'composite.mp4'),
      });
      expect(composite).toMatchObject({ width: 1080, height: 1920 });
      await expect(
        probe.checkBackgroundUpload(composite.path, { maxDurationSec: 15, maxBytes: 20e6 }),
      ).resolves.toMatchObject({ ok: true });
    },
    180_000,
  );

  it.skipIf(!npmEspeak)(
    'the WebAssembly espeak-ng speaks with word timings (skipped when the espeak-ng package is absent)',
    async () => {
      const espeak = await resolveBinary('espeak-ng', npmOnly);
      expect(espeak).toMatchObject({ kind: 'wasm', source: 'npm' });
      const tts = new EspeakSpeechSynthesizer({ binary: espeak, logger: quietLogger });
      const text = 'Привет, мир! Hello 42.';
      const result = await tts.synthesize({
        text,
        voiceId: 'espeak-ru-f1',
        outputPath: join(dir, 'wasm.wav'),
      });
      const info = parseWav(await readFile(result.path));
      expect(info.sampleRate).toBe(22050);
      expect(result.durationSec).toBeGreaterThan(1);
      expect(result.words.map((w) => w.word)).toEqual(['Привет,', 'мир!', 'Hello', '42.']);
      for (let i = 1; i < result.words.length; i++)
        expect(result.words[i]!.start).toBeGreaterThanOrEqual(result.words[i - 1]!.end);
      await expect(
        tts.synthesize({ text: 'x', voiceId: 'espeak-en-m2', outputPath: join(dir, 'wasm2.wav') }),
      ).resolves.toMatchObject({
        provider: 'espeak-ng',
      });
    },
    60_000,
  );
});
