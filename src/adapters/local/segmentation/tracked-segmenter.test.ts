import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FfmpegCompositor } from '../compositor/ffmpeg-compositor.js';
import { FfprobeMediaProbe } from '../probe/ffprobe-probe.js';
import { planOverlay } from '../compositor/overlay-layout.js';
import {
  colorDistance,
  makeColorClip,
  makeHeadClip,
  pixelAt,
  portraitColors,
  quietLogger,
  requireMediaTools,
  tempDir,
  type MediaTools,
} from '../../../testing/media/media-fixtures.js';
import { TrackedSegmenter, trackedMaskSize } from './tracked-segmenter.js';

const red = 'D02020';
let tools: MediaTools;
let dir: string;
let background: string;
let head: string;

beforeAll(async () => {
  tools = await requireMediaTools();
  dir = await tempDir('tracked-segmenter-test');
  [background, head] = await Promise.all([
    makeColorClip(tools, join(dir, 'background.mp4'), {
      seconds: 2,
      color: `0x${red}`,
      width: 640,
      height: 360,
    }),
    makeHeadClip(tools, dir, { videoSec: 2, audioSec: 2 }),
  ]);
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('TrackedSegmenter', () => {
  it('streams one mask per head frame into the cut-out composite, no files in between', async () => {
    const masks: number[] = [];
    const segmenter = new TrackedSegmenter({
      ffmpegPath: tools.ffmpeg,
      logger: quietLogger,
      cacheDir: join(dir, 'reference'),
      // The model is not what this test is about; the colour key gives the reference quickly.
      reference: 'colour-key',
      onMask: (frame, mask) => {
        masks.push(frame);
        expect(mask).toHaveLength(trackedMaskSize.width * trackedMaskSize.height);
      },
    });
    const probe = new FfprobeMediaProbe({
      ffprobePath: tools.ffprobe,
      ffmpegPath: tools.ffmpeg,
      logger: quietLogger,
    });
    const compositor = new FfmpegCompositor({
      ffmpegPath: tools.ffmpeg,
      probe,
      logger: quietLogger,
      segmenter,
      maskDir: join(dir, 'masks'),
    });
    const outputPath = join(dir, 'cutout.mp4');
    const result = await compositor.composite({
      backgroundPath: background,
      talkingHeadPath: head,
      shape: 'cutout',
      words: [],
      outputPath,
    });
    expect(result).toMatchObject({ width: 1080, height: 1920 });
    expect(masks).toEqual(Array.from({ length: 60 }, (_, i) => i));

    const plan = planOverlay('cutout', { width: 1080, height: 1920 });
    const scale = plan.height / 1920;
    const backdrop = await pixelAt(
      tools,
      outputPath,
      1,
      Math.round(plan.x + 80 * scale),
      Math.round(plan.y + 80 * scale),
    );
    expect(colorDistance(backdrop, red), `backdrop pixel ${backdrop.join(',')}`).toBeLessThan(70);
    const shirt = await pixelAt(tools, outputPath, 1, 540, 1880);
    expect(
      colorDistance(shirt, portraitColors.shirt),
      `shirt pixel ${shirt.join(',')}`,
    ).toBeLessThan(70);
  }, 120_000);

  it('ends cleanly when the speech is shorter than the head video: the encoder stops reading, the decoder is stopped', async () => {
    const longHead = await makeHeadClip(tools, dir, {
      videoSec: 4,
      audioSec: 1.5,
      name: 'long-head',
    });
    let masks = 0;
    const segmenter = new TrackedSegmenter({
      ffmpegPath: tools.ffmpeg,
      logger: quietLogger,
      cacheDir: join(dir, 'reference-long'),
      reference: 'colour-key',
      onMask: () => void masks++,
    });
    const probe = new FfprobeMediaProbe({
      ffprobePath: tools.ffprobe,
      ffmpegPath: tools.ffmpeg,
      logger: quietLogger,
    });
    const compositor = new FfmpegCompositor({
      ffmpegPath: tools.ffmpeg,
      probe,
      logger: quietLogger,
      segmenter,
      maskDir: join(dir, 'masks'),
    });
    const result = await compositor.composite({
      backgroundPath: background,
      talkingHeadPath: longHead,
      shape: 'cutout',
      words: [],
      outputPath: join(dir, 'long.mp4'),
    });
    expect(result.durationSec).toBeGreaterThan(1.3);
    expect(result.durationSec).toBeLessThan(1.8);
    // The tracker did not run through all 120 frames of the head video after the encoder was done.
    expect(masks).toBeLessThan(120);
  }, 120_000);

  it('answers a framing request with the colour key and its subject box, without the model', async () => {
    const segmenter = new TrackedSegmenter({
      ffmpegPath: tools.ffmpeg,
      logger: quietLogger,
      cacheDir: join(dir, 'reference-framing'),
    });
    const matte = await segmenter.matte({ videoPath: head, workDir: dir, purpose: 'framing' });
    expect(matte.kind).toBe('filter');
    expect(matte.subject?.width).toBeGreaterThan(0.3);
  }, 60_000);
});
