import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EspeakSpeechSynthesizer } from '../speech/espeak-speech.js';
import { FfprobeMediaProbe } from '../probe/ffprobe-probe.js';
import { buildPortraitGraph } from './portrait-graph.js';
import { LocalPortraitRenderer } from './portrait-renderer.js';
import {
  ffprobeJson,
  makePortrait,
  meanAbsDifference,
  quietLogger,
  requireEspeak,
  requireMediaTools,
  tempDir,
  thumbnailAt,
  topLevelBoxes,
  type MediaTools,
} from '../../../testing/media/media-fixtures.js';

let tools: MediaTools;
let dir: string;
let speechPath: string;
let speechSec: number;
let renderer: LocalPortraitRenderer;

beforeAll(async () => {
  const [found, espeak] = await Promise.all([requireMediaTools(), requireEspeak()]);
  tools = found;
  dir = await tempDir('portrait-test');
  const speech = await new EspeakSpeechSynthesizer({
    binary: espeak,
    logger: quietLogger,
  }).synthesize({
    text: 'Проверка живого портрета.',
    voiceId: 'espeak-ru-f1',
    outputPath: join(dir, 'speech.wav'),
  });
  speechPath = speech.path;
  speechSec = speech.durationSec;
  const probe = new FfprobeMediaProbe({
    ffprobePath: tools.ffprobe,
    ffmpegPath: tools.ffmpeg,
    logger: quietLogger,
  });
  // ultrafast keeps the suite quick; the preset is not what these tests check.
  renderer = new LocalPortraitRenderer({
    ffmpegPath: tools.ffmpeg,
    probe,
    logger: quietLogger,
    preset: 'ultrafast',
  });
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('LocalPortraitRenderer', () => {
  it.each([
    ['a square portrait', { width: 768, height: 768 }],
    ['a tall portrait', { width: 720, height: 1400 }],
  ])(
    'turns %s and speech into a 1080×1920 H.264/AAC clip as long as the speech',
    async (name, size) => {
      const image = await makePortrait(
        tools,
        join(dir, `portrait-${size.width}x${size.height}.png`),
        size,
      );
      const outputPath = join(dir, 'out', `head-${size.width}.mp4`);
      const result = await renderer.render({ imagePath: image, audioPath: speechPath, outputPath });

      expect(result).toMatchObject({
        path: outputPath,
        width: 1080,
        height: 1920,
        provider: 'local-portrait',
        lipSync: false,
      });
      expect(result.sizeBytes).toBe((await stat(outputPath)).size);
      expect(Math.abs(result.durationSec - speechSec), name).toBeLessThanOrEqual(0.15);

      const probed = await ffprobeJson(tools, outputPath);
      const video = probed.streams.find((s) => s.codec_type === 'video')!;
      const audio = probed.streams.find((s) => s.codec_type === 'audio')!;
      expect(video).toMatchObject({
        codec_name: 'h264',
        width: 1080,
        height: 1920,
        pix_fmt: 'yuv420p',
        avg_frame_rate: '30/1',
      });
      expect(audio.codec_name).toBe('aac');
      expect(Math.abs(Number(probed.format.duration) - speechSec)).toBeLessThanOrEqual(0.15);

      const boxes = topLevelBoxes(await readFile(outputPath));
      expect(
        boxes.indexOf('moov'),
        'faststart: the index comes before the media data',
      ).toBeLessThan(boxes.indexOf('mdat'));

      // The camera moves: frames a second apart differ, though the portrait is a still.
      const early = await thumbnailAt(tools, outputPath, 0.2);
      const later = await thumbnailAt(tools, outputPath, Math.min(1.5, speechSec - 0.3));
      expect(meanAbsDifference(early, later)).toBeGreaterThan(0.5);
    },
    120_000,
  );

  it('encodes an intermediate clip (composited again later) with the fast preset at a higher quality', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const { default: pino } = await import('pino');
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
    );
    const probe = new FfprobeMediaProbe({
      ffprobePath: tools.ffprobe,
      ffmpegPath: tools.ffmpeg,
      logger: quietLogger,
    });
    const veryfast = new LocalPortraitRenderer({
      ffmpegPath: tools.ffmpeg,
      probe,
      logger,
      preset: 'veryfast',
    });
    const image = await makePortrait(tools, join(dir, 'portrait-intermediate.png'), {
      width: 600,
      height: 800,
    });
    const result = await veryfast.render({
      imagePath: image,
      audioPath: speechPath,
      outputPath: join(dir, 'out', 'intermediate.mp4'),
      purpose: 'intermediate',
    });
    expect(result).toMatchObject({ width: 1080, height: 1920 });
    expect(lines.find((line) => line.stage === 'video')?.preset).toBe('ultrafast');
  });

  it('leaves no partial file behind when the input is not an image', async () => {
    const outputPath = join(dir, 'bad.mp4');
    await expect(
      renderer.render({ imagePath: speechPath, audioPath: speechPath, outputPath }),
    ).rejects.toThrow();
    await expect(stat(outputPath)).rejects.toThrow();
  });
});

describe('buildPortraitGraph', () => {
  it('does its per-frame work with zoompan, not per-pixel geq', () => {
    for (const [w, h] of [
      [1024, 1024],
      [720, 1280],
      [600, 1600],
    ] as const) {
      const graph = buildPortraitGraph({
        imageWidth: w,
        imageHeight: h,
        durationSec: 10,
        levelBar: true,
      });
      expect(graph).toContain('zoompan=');
      expect(graph).toContain('loop=loop=-1:size=1');
      expect(graph).not.toContain('geq');
      expect(graph).toContain('[v]');
    }
  });
});
