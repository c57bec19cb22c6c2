import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedExecutable } from '../../src/adapters/local/binaries/media-binaries.js';
import { runBinary } from '../../src/adapters/local/binaries/run-binary.js';
import { FfprobeMediaProbe } from '../../src/adapters/local/probe/ffprobe-probe.js';
import { colorDistance, pixelAt } from '../../src/testing/media/media-fixtures.js';
import type { RunningService } from '../../src/app/service.js';
import { orderBackground, orderTalkingHead } from '../../src/dev/demo/scripted-user.js';
import type { TelegramEmulator } from '../../src/dev/telegram-emulator/index.js';
import { creditAudit } from '../../src/queries/credit-audit.js';
import { startLocalService, type LocalServiceWorld } from './local-service.js';

/**
 * The whole product, offline: the real service (PGlite, projections, bot, pipeline, local
 * providers, catalog) against the Telegram emulator, driven the way a person clicks through it.
 */
describe('journey end to end (emulated Telegram, local providers)', () => {
  let world: LocalServiceWorld | undefined;
  let dir: string;
  let emulator: TelegramEmulator;
  let service: RunningService;
  let backgroundPath: string;
  const token = '987654321:E2E-local-emulator-token-0000000';

  beforeAll(async () => {
    world = await startLocalService({ name: 'journey', token });
    ({ dir, emulator, service } = world);
    const ffmpeg = await sharedExecutable('ffmpeg');
    backgroundPath = join(dir, 'background.mp4');
    await runBinary(ffmpeg.path, [
      '-y',
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=s=720x1280:d=6:rate=30',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      backgroundPath,
    ]);
  }, 180_000);

  afterAll(async () => {
    await world?.close();
  });

  it('delivers a playable 1080×1920 H.264/AAC video for each format, spending one credit each', async () => {
    const user = emulator.user({ id: 2001, firstName: 'Ann', languageCode: 'en' });
    await user.sendCommand('/start');
    await user.waitFor('What would you like to do?', { timeoutMs: 20_000 });
    const probe = new FfprobeMediaProbe();
    for (const [format, order] of [
      ['talking_head', () => orderTalkingHead(user, 'Fresh bread every morning, baked with love.')],
      // The cut-out: the local compositor's fast path (ISNet once, then the tracked mask).
      [
        'background',
        () =>
          orderBackground(
            user,
            backgroundPath,
            'New sneakers have landed. Come and try them on!',
            /Cut-out/,
          ),
      ],
    ] as const) {
      const video = await order();
      expect(video.caption.toLowerCase()).toContain('lip-sync');
      const path = join(dir, `out-${video.messageId}.mp4`);
      await writeFile(path, await user.downloadMedia(video.messageId));
      const info = await probe.probe(path);
      expect(info.video).toMatchObject({ codec: 'h264', width: 1080, height: 1920 });
      expect(info.audio?.codec).toBe('aac');
      expect(info.durationSec).toBeGreaterThan(1.5);
      expect(info.durationSec).toBeLessThan(15.5);
      if (format === 'background') {
        // The first man in the gallery is Daniel: a drawn orange hoodie on a sky-blue backdrop.
        // The whole person is kept, drawn clothes included (ISNet alone drops them), and the
        // backdrop is gone: where it was, the user's clip shows.
        const tools = {
          ffmpeg: (await sharedExecutable('ffmpeg')).path,
          ffprobe: (await sharedExecutable('ffprobe')).path,
        };
        const hoodie = await pixelAt(tools, path, 1, 700, 1860);
        expect(colorDistance(hoodie, 'e4572e'), `hoodie pixel ${hoodie.join(',')}`).toBeLessThan(
          60,
        );
        const besideHead = await pixelAt(tools, path, 1, 231, 720);
        expect(
          colorDistance(besideHead, '9cc8f2'),
          `backdrop pixel ${besideHead.join(',')}`,
        ).toBeGreaterThan(60);
      }
    }
    const audit = await creditAudit(service.store, 2001);
    expect(audit.entries.map((e) => [e.type, e.delta])).toEqual([
      ['CreditsGranted', 10],
      ['CreditsSpent', -1],
      ['CreditsSpent', -1],
    ]);
    const videos = user
      .messages()
      .filter(
        (m) =>
          m.sender === 'bot' && m.media?.kind === 'video' && !(m.caption ?? '').includes('Example'),
      );
    expect(videos).toHaveLength(2);
  }, 400_000);

  it('refuses bad background clips with a clear message and records nothing (real ffprobe, real files)', async () => {
    const user = emulator.user({ id: 2002, firstName: 'Bo', languageCode: 'en' });
    await user.sendCommand('/start');
    await user.waitFor('What would you like to do?', { timeoutMs: 20_000 });
    await user.sendCommand('/create_ads');
    await user.waitFor('Step 1 · Format', { timeoutMs: 20_000 });
    await user.pressButton(/Character \+ background/);
    await user.waitFor('Step 1b', { timeoutMs: 20_000 });
    const ffmpeg = await sharedExecutable('ffmpeg');
    const longClip = join(dir, 'long.mp4');
    await runBinary(ffmpeg.path, [
      '-y',
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=s=320x568:d=16:rate=15',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      longClip,
    ]);
    const gif = join(dir, 'animation.mp4');
    await runBinary(ffmpeg.path, [
      '-y',
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=s=160x284:d=2:rate=10',
      '-f',
      'gif',
      gif,
    ]);
    const whole = await readFile(backgroundPath);
    const truncated = join(dir, 'truncated.mp4');
    await writeFile(truncated, whole.subarray(0, Math.floor(whole.length / 3)));
    const stream = `user-2002`;
    const before = (await service.store.readStream(stream)).length;
    const cases: Array<[string, RegExp]> = [
      [longClip, /16\.0 s long; the limit is 15 s/],
      [gif, /not an MP4, MOV or AVI/],
      [truncated, /could not decode this video|not an MP4, MOV or AVI/],
    ];
    for (const [path, answer] of cases) {
      await user.sendVideo(path, {
        fileName: 'clip.mp4',
        mimeType: 'video/mp4',
        duration: 5,
        width: 320,
        height: 568,
      });
      await user.waitFor((m) => answer.test(m.text ?? ''), { timeoutMs: 60_000 });
    }
    const events = (await service.store.readStream(stream)).slice(before);
    expect(events.filter((e) => e.type === 'BackgroundVideoUploaded')).toEqual([]);
  }, 300_000);
});
