import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WordTiming } from '../../../ports/speech-synthesizer.js';
import { burnedCaptionStyles } from './caption-styles.js';
import { FfmpegCaptionBurner } from './ffmpeg-caption-burner.js';
import { FfprobeMediaProbe } from '../probe/ffprobe-probe.js';
import {
  bandAt,
  ffprobeJson,
  makeHeadClip,
  meanAbsDifference,
  quietLogger,
  requireMediaTools,
  tempDir,
  type MediaTools,
} from '../../../testing/media/media-fixtures.js';

// The captions are judged from the rendered video: the lower third of a captioned frame differs
// from the same frame of the uncaptioned video, the picture above it does not, and the sound is
// the talking head's own.

const words: WordTiming[] = [
  { word: 'Fresh', start: 0.1, end: 0.5 },
  { word: 'coffee', start: 0.5, end: 1.0 },
  { word: 'every', start: 1.0, end: 1.4 },
  { word: 'morning!', start: 1.4, end: 2.0 },
];

let tools: MediaTools;
let dir: string;
let head: string;
let burner: FfmpegCaptionBurner;

beforeAll(async () => {
  tools = await requireMediaTools();
  dir = await tempDir('caption-burner');
  head = await makeHeadClip(tools, dir, { videoSec: 2, audioSec: 2 });
  burner = new FfmpegCaptionBurner({
    ffmpegPath: tools.ffmpeg,
    probe: new FfprobeMediaProbe({ ffprobePath: tools.ffprobe, logger: quietLogger }),
    logger: quietLogger,
    preset: 'ultrafast',
  });
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('FfmpegCaptionBurner', () => {
  it.each(burnedCaptionStyles)(
    'burns %s captions into the lower third only, keeping the sound and the length',
    async (style) => {
      const out = join(dir, `captioned-${style}.mp4`);
      const result = await burner.burn({ videoPath: head, words, style, outputPath: out });
      expect(result).toMatchObject({
        width: 1080,
        height: 1920,
        provider: 'local-ffmpeg-captions',
      });
      expect(Math.abs(result.durationSec - 2)).toBeLessThan(0.1);

      const lowerThird = { y: 1280, height: 640 };
      const [plain, captioned] = await Promise.all([
        bandAt(tools, head, 0.7, lowerThird.y, lowerThird.height),
        bandAt(tools, out, 0.7, lowerThird.y, lowerThird.height),
      ]);
      expect(meanAbsDifference(plain, captioned)).toBeGreaterThan(2);
      const [plainTop, captionedTop] = await Promise.all([
        bandAt(tools, head, 0.7, 0, 1200),
        bandAt(tools, out, 0.7, 0, 1200),
      ]);
      expect(meanAbsDifference(plainTop, captionedTop)).toBeLessThan(1.5);

      const probed = await ffprobeJson(tools, out);
      expect(probed.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
    },
    120_000,
  );

  it('shows nothing before the first word is spoken', async () => {
    const out = join(dir, 'captioned-late.mp4');
    await burner.burn({
      videoPath: head,
      words: words.map((w) => ({ ...w, start: w.start + 1, end: w.end + 1 })),
      style: 'classic',
      outputPath: out,
    });
    const [plain, captioned] = await Promise.all([
      bandAt(tools, head, 0.5, 1280, 640),
      bandAt(tools, out, 0.5, 1280, 640),
    ]);
    expect(meanAbsDifference(plain, captioned)).toBeLessThan(1.5);
  }, 120_000);
});
