import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  forgetSharedBinaries,
  sharedExecutable,
} from '../../src/adapters/local/binaries/media-binaries.js';
import { startService, type RunningService } from '../../src/app/service.js';
import { buildStarterCatalog } from '../../src/catalog/starter/build-starter-catalog.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { awaitVideo, placeTalkingHeadOrder } from '../../src/dev/demo/scripted-user.js';
import type { ChatMessage } from '../../src/dev/telegram-emulator/chat-message.js';
import {
  startTelegramEmulator,
  type TelegramEmulator,
} from '../../src/dev/telegram-emulator/index.js';
import {
  childrenOf,
  hangingFfmpeg,
  isAlive,
  type HangingFfmpeg,
} from '../../src/testing/pipeline/hanging-ffmpeg.js';
import { creditAudit } from '../../src/queries/credit-audit.js';

/**
 * Stopping the service while a stage hangs (an ffmpeg that never exits, ignores SIGTERM and has a
 * child of its own): the real `stop()` ends without an uncaught error or unhandled rejection,
 * leaves no process behind, and releases the job, which the next start resumes at once.
 */
describe('stopping the service in the middle of a hung stage (emulated Telegram, local providers)', () => {
  let dir: string;
  let emulator: TelegramEmulator;
  let config: Config;
  let ffmpeg: HangingFfmpeg;
  let service: RunningService | undefined;
  const savedFfmpegPath = process.env.FFMPEG_PATH;
  const token = '987654324:E2E-clean-stop-emulator-token-000';
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ugc-e2e-clean-stop-'));
    emulator = await startTelegramEmulator({ token, fileDirectory: join(dir, 'tg') });
    const catalogCache = join(tmpdir(), 'ugc-e2e-starter-catalog');
    await buildStarterCatalog({ catalogDir: catalogCache, logger: log });
    await mkdir(join(dir, 'service'), { recursive: true });
    await symlink(catalogCache, join(dir, 'service', 'catalog'), 'dir');
    // Only the portrait render (`-pattern_type`, an image input) hangs; every other call is real.
    ffmpeg = await hangingFfmpeg(dir, (await sharedExecutable('ffmpeg')).path, '-pattern_type');
    process.env.FFMPEG_PATH = ffmpeg.path;
    forgetSharedBinaries();
    config = loadConfig({
      TELEGRAM_BOT_TOKEN: token,
      TELEGRAM_API_ROOT: emulator.apiRoot,
      DATA_DIR: join(dir, 'service'),
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
    });
  }, 180_000);

  afterAll(async () => {
    await service?.stop();
    if (savedFfmpegPath === undefined) delete process.env.FFMPEG_PATH;
    else process.env.FFMPEG_PATH = savedFfmpegPath;
    forgetSharedBinaries();
    await emulator?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('stop() ends cleanly: no uncaught error, no process left, the job released and resumed by the next start', async () => {
    const uncaught: unknown[] = [];
    const onError = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onError);
    process.on('unhandledRejection', onError);
    try {
      service = await startService(config, log);
      const user = emulator.user({ id: 3301, firstName: 'Olga', languageCode: 'en' });
      await user.sendCommand('/start');
      await user.waitFor('What would you like to do?', { timeoutMs: 30_000 });
      await placeTalkingHeadOrder(user, 'Handmade candles with honey and lavender.');
      await user.waitFor((m) => (m.text ?? '').includes('Animating the character'), {
        timeoutMs: 120_000,
        since: 'any',
      });
      const deadline = Date.now() + 60_000;
      while ((await ffmpeg.hungPids()).length < 2) {
        if (Date.now() > deadline) throw new Error('the portrait render never started');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }

      const stoppingAt = Date.now();
      await service.stop();
      service = undefined;
      // The stage gets its grace (5 s) at most; the tool is SIGKILLed 1 s after SIGTERM.
      expect(Date.now() - stoppingAt).toBeLessThan(15_000);
      const hung = await ffmpeg.hungPids();
      const alive = (
        await Promise.all(hung.map(async (pid) => ((await isAlive(pid)) ? [pid] : [])))
      ).flat();
      expect(alive, `hung ffmpeg processes ${JSON.stringify(hung)}`).toEqual([]);
      expect(
        (await childrenOf(process.pid)).filter((child) => /sleep|ffmpeg|\.sh/.test(child)),
      ).toEqual([]);
      // A late error from an aborted child or a stream would surface on the next turns of the loop.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(uncaught).toEqual([]);

      // The next start (a working ffmpeg now) takes the released job at once and says it resumed.
      if (savedFfmpegPath === undefined) delete process.env.FFMPEG_PATH;
      else process.env.FFMPEG_PATH = savedFfmpegPath;
      forgetSharedBinaries();
      const seen: ChatMessage[] = [];
      const stopWatching = emulator.onMessage((message) => seen.push(message));
      service = await startService(config, log);
      const video = await awaitVideo(user);
      stopWatching();
      expect(
        seen.some((message) => (message.text ?? '').includes('Resumed after an interruption')),
        user.transcript(),
      ).toBe(true);
      expect(video.caption.toLowerCase()).toContain('lip-sync');
      const audit = await creditAudit(service.store, 3301);
      expect(audit.entries.map((entry) => [entry.type, entry.delta])).toEqual([
        ['CreditsGranted', 10],
        ['CreditsSpent', -1],
      ]);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onError);
      process.off('unhandledRejection', onError);
    }
  }, 300_000);

  it('a stage that hangs past its deadline: stopped, retried, then the user is told and refunded once', async () => {
    // One polling instance at a time: a second getUpdates loop on the same token gets 409s.
    await service?.stop();
    service = undefined;
    process.env.FFMPEG_PATH = ffmpeg.path;
    forgetSharedBinaries();
    const hungBefore = (await ffmpeg.hungPids()).length;
    service = await startService(config, log, {
      pipeline: {
        maxAttempts: 2,
        retryBaseMs: 100,
        stageGraceMs: 2000,
        stageDeadlines: { video: { floorMs: 3000, perMediaSecondMs: 0 } },
      },
    });
    const user = emulator.user({ id: 3302, firstName: 'Pavel', languageCode: 'en' });
    await user.sendCommand('/start');
    await user.waitFor('What would you like to do?', { timeoutMs: 30_000 });
    await placeTalkingHeadOrder(user, 'Warm socks for cold evenings.');
    const notice = await user.waitFor(/failed at the “Animating the character” stage/, {
      timeoutMs: 120_000,
      since: 'last-action',
    });
    expect(notice.text).toContain('Your credit has been refunded');
    // Two attempts, each a hung render (the script and its sleep), both killed.
    const hung = (await ffmpeg.hungPids()).slice(hungBefore);
    expect(hung).toHaveLength(4);
    const deadline = Date.now() + 5000;
    let alive = hung;
    while (alive.length > 0 && Date.now() < deadline) {
      alive = (
        await Promise.all(hung.map(async (pid) => ((await isAlive(pid)) ? [pid] : [])))
      ).flat();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(alive).toEqual([]);
    const audit = await creditAudit(service.store, 3302);
    expect(audit.entries.map((entry) => [entry.type, entry.delta])).toEqual([
      ['CreditsGranted', 10],
      ['CreditsSpent', -1],
      ['CreditsRefunded', 1],
    ]);
    expect(
      user
        .messages()
        .filter(
          (message) =>
            message.media?.kind === 'video' && !(message.caption ?? '').includes('Example'),
        ),
    ).toEqual([]);
  }, 300_000);
});
