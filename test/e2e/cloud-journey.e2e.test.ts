import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedExecutable } from '../../src/adapters/local/binaries/media-binaries.js';
import { runBinary } from '../../src/adapters/local/binaries/run-binary.js';
import { FfprobeMediaProbe } from '../../src/adapters/local/probe/ffprobe-probe.js';
import {
  overlayServiceUnavailable,
  startLocalOverlayServer,
  type LocalOverlayServer,
} from '../../src/adapters/modal/index.js';
import { startS3rver, type RunningS3rver } from '../../src/testing/s3/s3rver-server.js';
import { startService, type RunningService } from '../../src/app/service.js';
import { loadConfig } from '../../src/config/config.js';
import {
  orderBackground,
  orderTalkingHead,
  placeTalkingHeadOrder,
} from '../../src/dev/demo/scripted-user.js';
import {
  startElevenLabsFake,
  type ElevenLabsFake,
} from '../../src/dev/fakes/elevenlabs/elevenlabs-fake.js';
import { startFalFake, type FalFake } from '../../src/dev/fakes/fal/fal-fake.js';
import { startShotstackFake, type ShotstackFake } from '../../src/dev/fakes/shotstack/index.js';
import {
  startTelegramEmulator,
  type SimulatedUser,
  type TelegramEmulator,
} from '../../src/dev/telegram-emulator/index.js';
import type { RecordedEvent as StoredEvent } from '../../src/ports/event-store/event-store.js';
import { creditAudit } from '../../src/queries/credit-audit.js';

const pythonMissing = overlayServiceUnavailable();
const skipReason = pythonMissing && process.env.CI !== 'true' ? pythonMissing : undefined;
if (skipReason) console.warn(`cloud journey e2e skipped: ${skipReason}`);

/**
 * The same journey with every cloud provider switched on, each against its local wire-level fake:
 * ElevenLabs, fal.ai OmniHuman, the Modal overlay service (the real Python app on CPU), Shotstack
 * and S3 storage (s3rver). The clients are the production ones; only the base URLs differ.
 */
describe.skipIf(skipReason !== undefined)(
  'cloud journey end to end (every provider on its fake)',
  () => {
    let dir: string;
    let emulator: TelegramEmulator;
    let service: RunningService;
    let s3: RunningS3rver;
    let eleven: ElevenLabsFake;
    let fal: FalFake;
    let shotstack: ShotstackFake;
    let overlay: LocalOverlayServer;
    let backgroundPath: string;
    const token = '987654323:E2E-cloud-emulator-token-000000';

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'ugc-e2e-cloud-'));
      [s3, eleven, fal, shotstack, overlay, emulator] = await Promise.all([
        startS3rver('ugc-media'),
        startElevenLabsFake(),
        startFalFake(),
        startShotstackFake({ apiKeys: { v1: 'fake-shotstack-key' } }),
        startLocalOverlayServer({ token: 'fake-modal-token' }),
        startTelegramEmulator({ token, fileDirectory: join(dir, 'tg') }),
      ]);
      const config = loadConfig({
        TELEGRAM_BOT_TOKEN: token,
        TELEGRAM_API_ROOT: emulator.apiRoot,
        DATA_DIR: join(dir, 'service'),
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: '0',
        ELEVEN_API_KEY: eleven.apiKey,
        ELEVEN_BASE_URL: eleven.url,
        FALAI_API_TOKEN: fal.apiKey,
        FALAI_QUEUE_URL: fal.url,
        SHOTSTACK_API_KEY: 'fake-shotstack-key',
        SHOTSTACK_STAGE: 'v1',
        SHOTSTACK_BASE_URL: shotstack.url,
        MODAL_OVERLAY_ENDPOINT: overlay.url,
        MODAL_OVERLAY_TOKEN: 'fake-modal-token',
        R2_ACCESS_KEY_ID: s3.connection.accessKeyId,
        R2_SECRET_ACCESS_KEY: s3.connection.secretAccessKey,
        R2_BUCKET_NAME: s3.bucket,
        R2_ENDPOINT_URL: s3.connection.endpoint,
        R2_REGION: s3.connection.region,
      });
      service = await startService(
        config,
        pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
        { providers: { pollIntervalMs: 200 } },
      );
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
    }, 240_000);

    afterAll(async () => {
      await service?.stop();
      await Promise.all([
        emulator?.close(),
        eleven?.stop(),
        fal?.stop(),
        shotstack?.stop(),
        overlay?.stop(),
        s3?.close(),
      ]);
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    async function generations(userId: number): Promise<StoredEvent[][]> {
      const requested = (await service.store.readStream(`user-${userId}`)).filter(
        (event) => event.type === 'GenerationRequested',
      );
      return Promise.all(
        requested.map((event) =>
          service.store.readStream(
            `generation-${(event.data as { generationId: string }).generationId}`,
          ),
        ),
      );
    }
    const dataOf = (events: StoredEvent[] | undefined, type: string) =>
      events?.find((event) => event.type === type)?.data as Record<string, unknown> | undefined;

    async function startedUser(id: number, name: string): Promise<SimulatedUser> {
      const user = emulator.user({ id, firstName: name, languageCode: 'en' });
      await user.sendCommand('/start');
      await user.waitFor('What would you like to do?', { timeoutMs: 30_000 });
      return user;
    }

    it('delivers both formats made by the cloud providers, with lip-sync, costs and one credit each', async () => {
      const user = await startedUser(4001, 'Cleo');
      const probe = new FfprobeMediaProbe();
      for (const order of [
        () => orderTalkingHead(user, 'Fresh bread every morning, baked with love.'),
        () =>
          orderBackground(user, backgroundPath, 'New sneakers have landed. Come and try them on!'),
      ]) {
        const video = await order();
        const path = join(dir, `cloud-${video.messageId}.mp4`);
        await writeFile(path, await user.downloadMedia(video.messageId));
        const info = await probe.probe(path);
        expect(info.video?.codec).toBe('h264');
        expect(info.audio).toBeDefined();
        expect(info.durationSec).toBeGreaterThan(1.5);
      }
      const [talkingHead, background] = await generations(4001);
      for (const events of [talkingHead, background]) {
        expect(dataOf(events, 'AudioSynthesized')).toMatchObject({ provider: 'elevenlabs' });
        expect(dataOf(events, 'TalkingHeadRequested')).toMatchObject({ provider: 'fal-omnihuman' });
        expect(dataOf(events, 'TalkingHeadGenerated')).toMatchObject({
          provider: 'fal-omnihuman',
          lipSync: true,
        });
        expect(dataOf(events, 'TalkingHeadGenerated')?.costUsd).toBeGreaterThan(0);
      }
      // The overlay request id carries both cloud jobs, stored before each wait.
      const overlayRequests = background
        ?.filter((event) => event.type === 'OverlayRequested')
        .map((event) => String((event.data as { requestId: string }).requestId));
      expect(overlayRequests?.[0]).toMatch(/^matte=fc-[^;]+$/);
      expect(overlayRequests?.at(-1)).toMatch(/^matte=fc-.+;montage=.+$/);
      expect(dataOf(background, 'OverlayRendered')).toMatchObject({ provider: 'modal+shotstack' });
      expect(fal.count('submit')).toBe(2);
      expect(shotstack.renders).toHaveLength(1);
      expect(eleven.count('tts')).toBeGreaterThanOrEqual(2);
      const audit = await creditAudit(service.store, 4001);
      expect(audit.entries.map((entry) => [entry.type, entry.delta])).toEqual([
        ['CreditsGranted', 10],
        ['CreditsSpent', -1],
        ['CreditsSpent', -1],
      ]);
    }, 600_000);

    it('a Shotstack render that fails falls back to the local compositor: the user still gets the video', async () => {
      const user = await startedUser(4002, 'Dan');
      const rendersBefore = shotstack.renders.length;
      shotstack.inject({
        kind: 'render_failed',
        error: 'Source file could not be fetched',
        times: 10,
      });
      await orderBackground(user, backgroundPath, 'Our coffee beans are roasted every Friday.');
      const [events] = await generations(4002);
      expect(shotstack.renders.length).toBeGreaterThan(rendersBefore);
      expect(String(dataOf(events, 'OverlayRendered')?.provider)).not.toContain('shotstack');
      expect(events?.some((event) => event.type === 'GenerationFailed')).toBe(false);
    }, 600_000);

    it('a request fal.ai refuses as invalid: no fallback can help, the credit is refunded and the user told', async () => {
      const user = await startedUser(4003, 'Eve');
      fal.inject({
        kind: 'status',
        status: 422,
        route: 'submit',
        times: 10,
        body: {
          detail: [
            {
              loc: ['body', 'audio_url'],
              msg: 'Audio is longer than 30 seconds',
              type: 'value_error',
            },
          ],
        },
      });
      await placeTalkingHeadOrder(user, 'Tea that tastes like summer.');
      const notice = await user.waitFor(/Your credit has been refunded/, {
        timeoutMs: 240_000,
        since: 'last-action',
      });
      expect(notice.text).not.toMatch(/ProviderError|HTTP 422|\n\s+at /);
      fal.clearFaults();
      const audit = await creditAudit(service.store, 4003);
      expect(audit.entries.map((entry) => [entry.type, entry.delta])).toEqual([
        ['CreditsGranted', 10],
        ['CreditsSpent', -1],
        ['CreditsRefunded', 1],
      ]);
    }, 600_000);
  },
);
