import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhotoFace } from '../../../catalog/photo-face.js';
import type {
  TalkingHeadRenderer,
  TalkingHeadRequest,
  VideoResult,
} from '../../../ports/talking-head-renderer.js';
import { runBinary } from '../binaries/run-binary.js';
import { FfprobeMediaProbe } from '../probe/ffprobe-probe.js';
import {
  quietLogger,
  requireMediaTools,
  tempDir,
  type MediaTools,
} from '../../../testing/media/media-fixtures.js';
import { PhotoMouthRenderer } from './photo-mouth-renderer.js';

let tools: MediaTools;
let dir: string;
let picturePath: string;
let audioPath: string;
let face: PhotoFace;

// A plain skin-coloured "photo" (no dark pixels anywhere) whose lips are where the face says:
// any dark pixel in the video is the inside of the opened mouth.
const width = 720;
const height = 1280;
type Pair = [number, number];
const lipsAt = (cx: number, cy: number): { outer: Pair[]; inner: Pair[] } => {
  const outer: Pair[] = [
    [cx - 60, cy],
    [cx - 40, cy - 10],
    [cx - 20, cy - 14],
    [cx, cy - 12],
    [cx + 20, cy - 14],
    [cx + 40, cy - 10],
    [cx + 60, cy],
    [cx + 40, cy + 12],
    [cx + 20, cy + 16],
    [cx, cy + 17],
    [cx - 20, cy + 16],
    [cx - 40, cy + 12],
  ];
  const inner: Pair[] = [
    [cx - 55, cy],
    [cx - 30, cy - 1],
    [cx, cy - 1],
    [cx + 30, cy - 1],
    [cx + 55, cy],
    [cx + 30, cy + 1],
    [cx, cy + 1],
    [cx - 30, cy + 1],
  ];
  return { outer, inner };
};

class RecordingFallback implements TalkingHeadRenderer {
  readonly provider = 'fallback';
  readonly requests: TalkingHeadRequest[] = [];
  render(request: TalkingHeadRequest): Promise<VideoResult> {
    this.requests.push(request);
    return Promise.resolve({
      path: request.outputPath,
      durationSec: 1,
      width: 1080,
      height: 1920,
      sizeBytes: 1,
      provider: this.provider,
      lipSync: false,
    });
  }
}

beforeAll(async () => {
  tools = await requireMediaTools();
  dir = await tempDir('photo-mouth');
  picturePath = join(dir, 'photo.png');
  await sharp({ create: { width, height, channels: 3, background: '#d9a88c' } })
    .png()
    .toFile(picturePath);
  const { outer, inner } = lipsAt(360, 620);
  face = {
    imageSha256: createHash('sha256')
      .update(await readFile(picturePath))
      .digest('hex'),
    width,
    height,
    score: 0.9,
    box: { x: 240, y: 380, width: 240, height: 300 },
    outerLips: outer,
    innerLips: inner,
    detector: 'test',
  };
  // One second of silence, one of a loud voice-like tone, one of silence.
  audioPath = join(dir, 'speech.wav');
  await runBinary(tools.ffmpeg, [
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    "sine=frequency=220:duration=3,volume='if(between(t,1,2),0.8,0)':eval=frame",
    '-ar',
    '22050',
    '-ac',
    '1',
    audioPath,
  ]);
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Dark pixels (the mouth's inside) in each of the given frames of the video. */
async function darkPixelsAt(video: string, frames: readonly number[]): Promise<number[]> {
  const select = `select='${frames.map((n) => `eq(n\\,${n})`).join('+')}'`;
  const { stdout } = await runBinary(tools.ffmpeg, [
    '-nostdin',
    '-v',
    'error',
    '-i',
    video,
    '-vf',
    select,
    '-vsync',
    '0',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    'pipe:1',
  ]);
  const size = 1080 * 1920 * 3;
  return frames.map((_, k) => {
    let dark = 0;
    for (let i = k * size; i < (k + 1) * size; i += 3)
      if (stdout[i]! < 100 && stdout[i + 1]! < 60) dark++;
    return dark;
  });
}

describe('PhotoMouthRenderer', () => {
  const renderer = (faces: PhotoFace[], fallback: TalkingHeadRenderer) =>
    new PhotoMouthRenderer({
      faces: { find: (sha) => Promise.resolve(faces.find((f) => f.imageSha256 === sha)) },
      fallback,
      ffmpegPath: tools.ffmpeg,
      probe: new FfprobeMediaProbe({
        ffprobePath: tools.ffprobe,
        ffmpegPath: tools.ffmpeg,
        logger: quietLogger,
      }),
      logger: quietLogger,
      preset: 'ultrafast',
    });

  it('given a photo whose face is known, when rendered, then its mouth is shut in silence and open while the voice is loud, and the result says lip-sync', async () => {
    const fallback = new RecordingFallback();
    const outputPath = join(dir, 'talking.mp4');
    const result = await renderer([face], fallback).render({
      imagePath: picturePath,
      audioPath,
      outputPath,
    });
    expect(fallback.requests).toHaveLength(0);
    expect(result).toMatchObject({ width: 1080, height: 1920, lipSync: true });
    expect(result.durationSec).toBeCloseTo(3, 0);
    const [silentBefore, loud, silentAfter] = await darkPixelsAt(outputPath, [15, 45, 80]);
    expect(silentBefore).toBe(0);
    expect(silentAfter).toBe(0);
    // The gap: about a quarter of the 120 px mouth deep in the middle, scaled to the stage, over
    // most of its width.
    expect(loud).toBeGreaterThan(1500);
  }, 120_000);

  it('given a picture whose face is not known, when rendered, then the fallback renders it', async () => {
    const fallback = new RecordingFallback();
    const result = await renderer([], fallback).render({
      imagePath: picturePath,
      audioPath,
      outputPath: join(dir, 'other.mp4'),
    });
    expect(fallback.requests).toHaveLength(1);
    expect(result.lipSync).toBe(false);
  });

  it('given landmarks recorded for another size of the picture, when rendered, then the fallback renders it rather than a misplaced mouth', async () => {
    const fallback = new RecordingFallback();
    await renderer([{ ...face, width: 1080, height: 1920 }], fallback).render({
      imagePath: picturePath,
      audioPath,
      outputPath: join(dir, 'resized.mp4'),
    });
    expect(fallback.requests).toHaveLength(1);
  });
});
