import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EspeakSpeechSynthesizer } from '../adapters/local/speech/espeak-speech.js';
import { FfmpegCompositor } from '../adapters/local/compositor/ffmpeg-compositor.js';
import { FfprobeMediaProbe } from '../adapters/local/probe/ffprobe-probe.js';
import { LocalPortraitRenderer } from '../adapters/local/talking-head/portrait-renderer.js';
import {
  ffprobeJson,
  makeClip,
  makePortrait,
  quietLogger,
  requireEspeak,
  requireMediaTools,
  tempDir,
  type MediaTools,
} from '../testing/media/media-fixtures.js';
import type { PipelineProviders } from './pipeline-options.js';
import { FfmpegThumbnailMaker } from './thumbnail-maker.js';
import { characterKey, PipelineWorld, type Requested } from '../testing/pipeline/pipeline-world.js';

let world: PipelineWorld;
let tools: MediaTools;
let dir: string;
let providers: PipelineProviders;
let thumbnails: FfmpegThumbnailMaker;

beforeAll(async () => {
  const [found, espeak] = await Promise.all([requireMediaTools(), requireEspeak()]);
  tools = found;
  dir = await tempDir('pipeline-local');
  world = await PipelineWorld.pglite();
  const portrait = await makePortrait(tools, join(dir, 'portrait.png'), {
    width: 540,
    height: 960,
  });
  await world.storage.putFile(characterKey, portrait, 'image/png');
  const probe = new FfprobeMediaProbe({
    ffprobePath: tools.ffprobe,
    ffmpegPath: tools.ffmpeg,
    logger: quietLogger,
  });
  // ultrafast keeps the suite quick on two cores; the preset is not what this test checks.
  providers = {
    speech: new EspeakSpeechSynthesizer({ binary: espeak, logger: quietLogger }),
    talkingHead: new LocalPortraitRenderer({
      ffmpegPath: tools.ffmpeg,
      probe,
      logger: quietLogger,
      preset: 'ultrafast',
    }),
    compositor: new FfmpegCompositor({
      ffmpegPath: tools.ffmpeg,
      probe,
      logger: quietLogger,
      preset: 'ultrafast',
      maskDir: join(dir, 'masks'),
    }),
    probe,
  };
  thumbnails = new FfmpegThumbnailMaker({ ffmpegPath: tools.ffmpeg, logger: quietLogger });
  world.notifier.keepCopiesIn = dir;
}, 120_000);

afterAll(async () => {
  await world?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function generate(format: 'talking_head' | 'background'): Promise<Requested> {
  const requested = await world.request({
    format,
    text: 'Try our fresh coffee today.',
    shape: 'circle',
  });
  if (format === 'background') {
    // The wizard stored a placeholder; a real (short, landscape) clip replaces it.
    const clip = await makeClip(tools, join(dir, 'background.mp4'), {
      seconds: 2,
      width: 640,
      height: 360,
    });
    const key = (await world.users.state(requested.userId)).draft.backgroundVideo?.storageKey;
    if (!key) throw new Error('no background in the draft');
    await world.storage.putFile(key, clip, 'video/mp4');
  }
  // Started only now, so the real clip is in place before anything could read the placeholder.
  const pipeline = world.pipeline({ providers, thumbnails, config: { leaseMs: 30_000 } });
  pipeline.start();
  expect(await world.settled(requested.generationId, 120_000)).toBe('delivered');
  await pipeline.stop();
  return requested;
}

describe('the pipeline with the real local providers', () => {
  it.each(['talking_head', 'background'] as const)(
    '%s: espeak-ng → portrait renderer (→ compositor) produces a playable 1080×1920 H.264/AAC MP4 as long as the speech',
    async (format) => {
      const { generationId, userId } = await generate(format);
      const events = await world.generationEvents(generationId);
      const audio = events.find((e) => e.type === 'AudioSynthesized')?.data as {
        durationSec: number;
        words: unknown[];
        provider: string;
      };
      expect(audio.provider).toBe('espeak-ng');
      expect(audio.words.length).toBe(5);

      const kept = world.notifier.kept.get(generationId);
      expect(kept).toBeDefined();
      const probed = await ffprobeJson(tools, kept!.video);
      const video = probed.streams.find((s) => s.codec_type === 'video');
      const sound = probed.streams.find((s) => s.codec_type === 'audio');
      expect(video).toMatchObject({ codec_name: 'h264', width: 1080, height: 1920 });
      expect(sound?.codec_name).toBe('aac');
      expect(Math.abs(Number(probed.format.duration) - audio.durationSec)).toBeLessThanOrEqual(
        0.25,
      );

      const thumbnail = await readFile(kept!.thumbnail!);
      expect([...thumbnail.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
      expect(thumbnail.length).toBeLessThan(200 * 1024);

      const delivery = world.notifier.deliveriesOf(generationId)[0];
      expect(delivery).toMatchObject({ width: 1080, height: 1920 });
      expect(delivery?.providersNote).toContain('voice: espeak-ng');
      expect(delivery?.providersNote).toContain('video: local portrait renderer, no lip-sync');
      if (format === 'background')
        expect(delivery?.providersNote).toContain('overlay and subtitles: local ffmpeg compositor');
      expect(events.find((e) => e.type === 'TalkingHeadGenerated')?.data).toMatchObject({
        lipSync: false,
        provider: 'local-portrait',
      });

      const finalKey =
        format === 'background'
          ? `generations/${generationId}/final.mp4`
          : `generations/${generationId}/talking-head.mp4`;
      expect((await stat(join(world.storage.root, finalKey))).size).toBeGreaterThan(10_000);
      expect(await world.creditEvents(userId, generationId)).toEqual(['CreditsSpent']);
      expect(await world.workDirsLeft()).toEqual([]);
    },
    180_000,
  );
});
