import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { FfmpegCompositor } from '../../src/adapters/local/compositor/ffmpeg-compositor.js';
import { TrackedSegmenter } from '../../src/adapters/local/segmentation/tracked-segmenter.js';
import { createLogger } from '../../src/logging/logger.js';
import { processTreeCpuSeconds } from './cpu-time.js';

/**
 * The product's cut-out composite alone, in a process of its own, so its memory is not mixed
 * with the bench's (which holds ISNet for the per-frame baseline, the clips' truth masks and the
 * comparison frames). Run by `composite-run.ts` with one JSON argument; prints one JSON line.
 * The masks of the frames asked for are written to `masksPath` (gray8, one after another) for
 * the bench to score; nothing else of the tracker's output is kept.
 */
const argsSchema = z.object({
  ffmpeg: z.string(),
  clipPath: z.string(),
  backgroundPath: z.string(),
  outputPath: z.string(),
  workDir: z.string(),
  referenceDir: z.string(),
  track: z.object({ width: z.number().int().positive(), height: z.number().int().positive() }),
  model: z.enum(['small', 'medium']),
  words: z.array(z.object({ word: z.string(), start: z.number(), end: z.number() })),
  keepFrames: z.array(z.number().int().nonnegative()),
  masksPath: z.string(),
  /**
   * `reference`: only the first step, ISNet's reference mask (cached after); `composite`: the
   * render.
   */
  phase: z.enum(['reference', 'composite']),
});

const args = argsSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
const keep = new Set(args.keepFrames);
const kept = new Map<number, Uint8Array>();
const segmenter = new TrackedSegmenter({
  ffmpegPath: args.ffmpeg,
  logger,
  cacheDir: args.referenceDir,
  width: args.track.width,
  height: args.track.height,
  model: args.model,
  onMask: (frame, mask) => {
    if (keep.has(frame)) kept.set(frame, mask.slice());
  },
});

if (args.phase === 'reference') {
  // The reference mask is per character and cached on disk: the first composite of a character
  // pays for one ISNet run, measured here on its own.
  const startedAt = performance.now();
  await segmenter.matte({ videoPath: args.clipPath, workDir: args.workDir });
  console.log(
    JSON.stringify({
      seconds: (performance.now() - startedAt) / 1000,
      ownPeakBytes: process.resourceUsage().maxRSS * 1024,
    }),
  );
} else {
  const compositor = new FfmpegCompositor({ ffmpegPath: args.ffmpeg, logger, segmenter });
  const cpuBefore = processTreeCpuSeconds();
  const startedAt = performance.now();
  await compositor.composite({
    backgroundPath: args.backgroundPath,
    talkingHeadPath: args.clipPath,
    shape: 'cutout',
    words: args.words,
    outputPath: args.outputPath,
  });
  const seconds = (performance.now() - startedAt) / 1000;
  const cpuSeconds = processTreeCpuSeconds() - cpuBefore;
  const masks = args.keepFrames.map((frame) => {
    const mask = kept.get(frame);
    if (!mask) throw new Error(`the tracker made no mask for frame ${frame}`);
    return mask;
  });
  await writeFile(args.masksPath, Buffer.concat(masks));
  console.log(
    JSON.stringify({ seconds, cpuSeconds, ownPeakBytes: process.resourceUsage().maxRSS * 1024 }),
  );
}
