import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OverlayShape } from '../../../ports/compositor.js';
import type { WordTiming } from '../../../ports/speech-synthesizer.js';
import { ColorKeySegmenter } from '../segmentation/color-key-segmenter.js';
import { FfmpegCompositor } from './ffmpeg-compositor.js';
import { FfprobeMediaProbe } from '../probe/ffprobe-probe.js';
import { planOverlay } from './overlay-layout.js';
import {
  bandAt,
  colorDistance,
  ffprobeJson,
  makeColorClip,
  makeHeadClip,
  pixelAt,
  portraitColors,
  quietLogger,
  requireMediaTools,
  tempDir,
  type MediaTools,
} from '../../../testing/media/media-fixtures.js';

const red = 'D02020';
const words: WordTiming[] = [
  { word: 'Привет,', start: 0.1, end: 0.8 },
  { word: '{мир}!', start: 0.9, end: 1.6 },
  { word: 'Test 42', start: 1.8, end: 2.6 },
];

let tools: MediaTools;
let dir: string;
let background: string;
let head: string;
let headAudioSec: number;
let compositor: FfmpegCompositor;

beforeAll(async () => {
  tools = await requireMediaTools();
  dir = await tempDir('compositor-test');
  // The background is shorter than the speech, so it has to loop.
  [background, head] = await Promise.all([
    makeColorClip(tools, join(dir, 'background.mp4'), {
      seconds: 2,
      color: `0x${red}`,
      width: 1280,
      height: 720,
    }),
    makeHeadClip(tools, dir, { videoSec: 3, audioSec: 3 }),
  ]);
  headAudioSec = await audioDuration(head);
  const probe = new FfprobeMediaProbe({
    ffprobePath: tools.ffprobe,
    ffmpegPath: tools.ffmpeg,
    logger: quietLogger,
  });
  compositor = new FfmpegCompositor({
    ffmpegPath: tools.ffmpeg,
    probe,
    logger: quietLogger,
    maskDir: join(dir, 'masks'),
    preset: 'ultrafast',
  });
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function audioDuration(path: string): Promise<number> {
  const probed = await ffprobeJson(tools, path);
  return Number(probed.streams.find((s) => s.codec_type === 'audio')!.duration);
}

async function expectDeliverable(path: string, speechSec: number): Promise<void> {
  const probed = await ffprobeJson(tools, path);
  const video = probed.streams.find((s) => s.codec_type === 'video')!;
  expect(video).toMatchObject({
    codec_name: 'h264',
    width: 1080,
    height: 1920,
    pix_fmt: 'yuv420p',
  });
  expect(probed.streams.find((s) => s.codec_type === 'audio')?.codec_name).toBe('aac');
  const duration = Number(probed.format.duration);
  expect(duration, 'never longer than the speech').toBeLessThanOrEqual(speechSec + 0.001);
  expect(duration, 'as long as the speech').toBeGreaterThan(speechSec - 0.15);
  for (const stream of probed.streams)
    expect(Number(stream.duration)).toBeLessThanOrEqual(speechSec + 0.001);
}

function brightPixels(rgb: Uint8Array): number {
  let count = 0;
  for (let i = 0; i + 2 < rgb.length; i += 3)
    if ((rgb[i] ?? 0) > 200 && (rgb[i + 1] ?? 0) > 170) count++;
  return count;
}

describe('FfmpegCompositor', () => {
  it.each(['circle', 'rounded_rect', 'cutout'] as const satisfies readonly OverlayShape[])(
    'composites the head as a %s over the looped background with captions',
    async (shape) => {
      const outputPath = join(dir, `composite-${shape}.mp4`);
      const result = await compositor.composite({
        backgroundPath: background,
        talkingHeadPath: head,
        shape,
        words,
        outputPath,
      });
      expect(result).toMatchObject({
        path: outputPath,
        width: 1080,
        height: 1920,
        provider: 'local-ffmpeg',
      });
      await expectDeliverable(outputPath, headAudioSec);

      // Same framing as the compositor: it places captions above the head the segmenter found.
      const matte = await new ColorKeySegmenter({
        ffmpegPath: tools.ffmpeg,
        logger: quietLogger,
      }).matte({ videoPath: head, workDir: dir });
      expect(matte.subject, 'the colour key finds the person on a plain backdrop').toBeDefined();
      const plan = planOverlay(shape, { width: 1080, height: 1920 }, matte.subject);
      // The background fills the frame above the head, also after it looped (it is 2 s long).
      expect(colorDistance(await pixelAt(tools, outputPath, 2.5, 540, 150), red)).toBeLessThan(60);

      if (shape === 'cutout') {
        // The portrait's blue backdrop is keyed out: the background shows through it...
        const scale = plan.height / 1920;
        const backdrop = await pixelAt(
          tools,
          outputPath,
          1,
          Math.round(plan.x + 80 * scale),
          Math.round(plan.y + 80 * scale),
        );
        expect(colorDistance(backdrop, red), `backdrop pixel ${backdrop.join(',')}`).toBeLessThan(
          70,
        );
        // ...while the person (the green shirt) stays.
        const shirt = await pixelAt(tools, outputPath, 1, 540, 1880);
        expect(
          colorDistance(shirt, portraitColors.shirt),
          `shirt pixel ${shirt.join(',')}`,
        ).toBeLessThan(70);
      } else {
        // Outside the shape's corner the background shows; inside, the head does.
        const corner = await pixelAt(tools, outputPath, 1, plan.x + 8, plan.y + 8);
        expect(colorDistance(corner, red), `corner pixel ${corner.join(',')}`).toBeLessThan(70);
        const centre = await pixelAt(
          tools,
          outputPath,
          1,
          plan.x + plan.width / 2,
          plan.y + plan.height / 2,
        );
        expect(colorDistance(centre, red), `centre pixel ${centre.join(',')}`).toBeGreaterThan(120);
      }

      // A caption is burned in just above the head while a word is spoken, and gone after the last.
      const baseline = 1920 - plan.captionMarginBottom;
      expect(
        brightPixels(await bandAt(tools, outputPath, 0.5, baseline - 100, 110)),
      ).toBeGreaterThan(200);
      expect(brightPixels(await bandAt(tools, outputPath, 2.85, baseline - 100, 110))).toBe(0);
    },
    120_000,
  );

  it('stops with the speech when the head video runs longer than its audio', async () => {
    const longHead = await makeHeadClip(tools, dir, {
      videoSec: 4,
      audioSec: 2.5,
      name: 'long-head',
    });
    const speechSec = await audioDuration(longHead);
    const outputPath = join(dir, 'composite-long.mp4');
    const result = await compositor.composite({
      backgroundPath: background,
      talkingHeadPath: longHead,
      shape: 'circle',
      words: [],
      outputPath,
    });
    await expectDeliverable(outputPath, speechSec);
    expect(result.durationSec).toBeLessThanOrEqual(speechSec + 0.001);
  }, 120_000);

  it('rejects a talking head without speech', async () => {
    await expect(
      compositor.composite({
        backgroundPath: background,
        talkingHeadPath: background,
        shape: 'circle',
        words,
        outputPath: join(dir, 'x.mp4'),
      }),
    ).rejects.toThrow(/no audio/);
  });
});
