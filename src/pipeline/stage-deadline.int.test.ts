import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EspeakSpeechSynthesizer } from '../adapters/local/speech/espeak-speech.js';
import { FfmpegCompositor } from '../adapters/local/compositor/ffmpeg-compositor.js';
import { FfprobeMediaProbe } from '../adapters/local/probe/ffprobe-probe.js';
import { LocalPortraitRenderer } from '../adapters/local/talking-head/portrait-renderer.js';
import {
  makeClip,
  makePortrait,
  quietLogger,
  requireEspeak,
  requireMediaTools,
  tempDir,
  type MediaTools,
} from '../testing/media/media-fixtures.js';
import {
  childrenOf,
  hangingFfmpeg,
  isAlive,
  type HangingFfmpeg,
} from '../testing/pipeline/hanging-ffmpeg.js';
import { characterKey, PipelineWorld, until } from '../testing/pipeline/pipeline-world.js';
import type { PipelineProviders } from './pipeline-options.js';

let world: PipelineWorld;
let tools: MediaTools;
let dir: string;
let ffmpeg: HangingFfmpeg;
let providers: PipelineProviders;

// Only the compositor loops its background (`-stream_loop`): that invocation hangs, every other
// ffmpeg call (the portrait, the colour key, the probes' decode check) is the real one.
beforeAll(async () => {
  const [found, espeak] = await Promise.all([requireMediaTools(), requireEspeak()]);
  tools = found;
  dir = await tempDir('pipeline-deadline');
  ffmpeg = await hangingFfmpeg(dir, tools.ffmpeg, '-stream_loop');
  world = await PipelineWorld.pglite();
  await world.storage.putFile(
    characterKey,
    await makePortrait(tools, join(dir, 'portrait.png'), { width: 540, height: 960 }),
    'image/png',
  );
  const probe = new FfprobeMediaProbe({
    ffprobePath: tools.ffprobe,
    ffmpegPath: tools.ffmpeg,
    logger: quietLogger,
  });
  providers = {
    speech: new EspeakSpeechSynthesizer({ binary: espeak, logger: quietLogger }),
    talkingHead: new LocalPortraitRenderer({
      ffmpegPath: tools.ffmpeg,
      probe,
      logger: quietLogger,
      preset: 'ultrafast',
    }),
    compositor: new FfmpegCompositor({
      ffmpegPath: ffmpeg.path,
      probe,
      logger: quietLogger,
      preset: 'ultrafast',
      maskDir: join(dir, 'masks'),
    }),
    probe,
  };
}, 120_000);

afterAll(async () => {
  await world?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a stage that never ends (an ffmpeg that hangs), through the real pipeline and local providers', () => {
  it('is stopped at its deadline, retried, then failed and refunded once, the user told, and no process left', async () => {
    const uncaught: unknown[] = [];
    const onError = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onError);
    process.on('unhandledRejection', onError);
    try {
      const requested = await world.request({
        format: 'background',
        text: 'Fresh bread every morning.',
        shape: 'circle',
      });
      const key = (await world.users.state(requested.userId)).draft.backgroundVideo?.storageKey;
      if (!key) throw new Error('no background in the draft');
      await world.storage.putFile(
        key,
        await makeClip(tools, join(dir, 'background.mp4'), { seconds: 2, width: 640, height: 360 }),
        'video/mp4',
      );

      const deadlineMs = 3000;
      const pipeline = world.pipeline({
        providers,
        config: {
          maxAttempts: 2,
          leaseMs: 30_000,
          retryBaseMs: 10,
          stageGraceMs: 2000,
          // The floor alone: the overlay's deadline does not grow with the speech here.
          stageDeadlines: { overlay: { floorMs: deadlineMs, perMediaSecondMs: 0 } },
        },
      });
      const startedAt = Date.now();
      pipeline.start();
      // The first composite hangs; note when, to measure the stop against the deadline.
      await until(
        async () => (await ffmpeg.hungPids()).length >= 2,
        90_000,
        'the composite to hang',
      );
      const hungAt = Date.now();
      expect(await world.settled(requested.generationId, 60_000)).toBe('refunded');
      const settledAt = Date.now();
      await pipeline.stop();

      // Two attempts, each ended by the deadline (plus at most the grace and the retry): never
      // sooner.
      const hung = await ffmpeg.hungPids();
      expect(hung).toHaveLength(4);
      expect(settledAt - hungAt).toBeGreaterThanOrEqual(2 * deadlineMs - 1000);
      expect(settledAt - startedAt).toBeLessThan(90_000);

      const events = await world.generationEvents(requested.generationId);
      expect(events.map((e) => e.type)).toEqual([
        'GenerationStarted',
        'AudioSynthesized',
        'TalkingHeadGenerated',
        'GenerationFailed',
      ]);
      expect(events.at(-1)?.data).toMatchObject({ stage: 'overlay', retryable: true });
      expect(String(events.at(-1)?.data.reason)).toMatch(/overlay stage took longer than 3 s/);
      expect(await world.creditEvents(requested.userId, requested.generationId)).toEqual([
        'CreditsSpent',
        'CreditsRefunded',
      ]);
      expect(world.notifier.failuresOf(requested.generationId)).toEqual([
        expect.objectContaining({
          notice: { kind: 'provider_failed', stage: 'overlay' },
          refunded: true,
        }),
      ]);

      // The hung script and its `sleep` (a grandchild) are both gone, and nothing is left under us.
      await until(
        async () => !(await Promise.all(hung.map(isAlive))).some(Boolean),
        5000,
        'the hung ffmpeg and its child to be killed',
      );
      expect(
        (await childrenOf(process.pid)).filter((child) => /sleep|ffmpeg|\.sh/.test(child)),
      ).toEqual([]);
      expect(await world.workDirsLeft()).toEqual([]);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onError);
      process.off('unhandledRejection', onError);
    }
  }, 180_000);
});
