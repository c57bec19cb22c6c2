import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveChildCount } from '../binaries/supervised-child.js';
import {
  makeClip,
  requireMediaTools,
  tempDir,
  type MediaTools,
} from '../../../testing/media/media-fixtures.js';
import { rawFrames } from './raw-frames.js';

let tools: MediaTools;
let dir: string;
let clip: string;

beforeAll(async () => {
  tools = await requireMediaTools();
  dir = await tempDir('raw-frames');
  clip = await makeClip(tools, join(dir, 'clip.mp4'), { seconds: 4, width: 320, height: 240 });
}, 60_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Collects what would otherwise end the process (or fail a vitest run with no failed test). */
async function withUncaughtWatch(run: () => Promise<void>): Promise<unknown[]> {
  const uncaught: unknown[] = [];
  const onError = (error: unknown) => uncaught.push(error);
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
  try {
    await run();
    // The decoder's exit arrives after the consumer has moved on: wait for it to surface.
    await new Promise((resolve) => setTimeout(resolve, 1500));
  } finally {
    process.off('uncaughtException', onError);
    process.off('unhandledRejection', onError);
  }
  return uncaught;
}

describe('rawFrames lifecycle', () => {
  it('a consumer that fails mid-stream while the run is aborted (a stop) leaves no unhandled AbortError and no decoder', async () => {
    const uncaught = await withUncaughtWatch(async () => {
      const controller = new AbortController();
      const source = rawFrames({
        ffmpegPath: tools.ffmpeg,
        videoPath: clip,
        width: 32,
        height: 32,
        pixFmt: 'gray',
        signal: controller.signal,
      });
      let frames = 0;
      const consumed = (async () => {
        for await (const _frame of source.frames()) {
          frames += 1;
          if (frames === 3) {
            controller.abort(new Error('service stopping'));
            throw new Error('the encoder went away');
          }
        }
      })();
      await expect(consumed).rejects.toThrow('the encoder went away');
      // Like the tracker: the consumer's error is what it reports; `done` is never awaited.
    });
    expect(uncaught).toEqual([]);
    expect(liveChildCount()).toBe(0);
  });

  it('stop() in the middle kills the decoder, and `done` says so to whoever awaits it', async () => {
    const source = rawFrames({
      ffmpegPath: tools.ffmpeg,
      videoPath: clip,
      width: 32,
      height: 32,
      pixFmt: 'gray',
    });
    for await (const _frame of source.frames()) {
      source.stop();
      break;
    }
    await expect(source.done).rejects.toThrow(/stopped/);
    expect(liveChildCount()).toBe(0);
  });

  it('a decoder past its deadline is killed and `done` names the deadline', async () => {
    // Nobody reads: the pipe and the stream's buffer fill (100 frames of 160×120 RGB are 5.8 MB),
    // ffmpeg blocks on its write, and only the deadline ends it.
    const source = rawFrames({
      ffmpegPath: tools.ffmpeg,
      videoPath: clip,
      width: 160,
      height: 120,
      pixFmt: 'rgb24',
      timeoutMs: 300,
    });
    await expect(source.done).rejects.toThrow(/did not finish within/);
    expect(liveChildCount()).toBe(0);
  });
});
