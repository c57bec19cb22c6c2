import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../../src/app/service.js';
import { buildStarterCatalog } from '../../src/catalog/starter/build-starter-catalog.js';
import { loadConfig } from '../../src/config/config.js';
import { awaitVideo } from '../../src/dev/demo/scripted-user.js';
import {
  startTelegramEmulator,
  type TelegramEmulator,
} from '../../src/dev/telegram-emulator/index.js';
import {
  createTestDatabase,
  skipWithoutPostgres,
  type TestDatabase,
} from '../../src/testing/postgres.js';

const skip = await skipWithoutPostgres('progress message across instances (PostgreSQL)');

/**
 * Telegram's webhook in front of two instances. Every update goes to A, except that the first
 * delivery of the "Generate" click gets a 502 after A handled it (as when A is restarted before it
 * answers), so Telegram delivers that update again, and the second delivery goes to B: a fresh
 * process that never saw it.
 */
async function startForwarder(): Promise<{
  url: string;
  backends: { a?: string; b?: string };
  generateDeliveries: string[];
  close(): Promise<void>;
}> {
  const backends: { a?: string; b?: string } = {};
  const generateDeliveries: string[] = [];
  const forward = async (
    backend: string,
    path: string,
    headers: Record<string, string>,
    body: Buffer,
  ) => fetch(`${backend}${path}`, { method: 'POST', headers, body });
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        if (!backends.a || !backends.b) return response.writeHead(502).end();
        const body = Buffer.concat(chunks);
        const headers: Record<string, string> = {
          'content-type': String(request.headers['content-type'] ?? 'application/json'),
        };
        const secret = request.headers['x-telegram-bot-api-secret-token'];
        if (typeof secret === 'string') headers['x-telegram-bot-api-secret-token'] = secret;
        const update = JSON.parse(body.toString('utf8')) as { callback_query?: { data?: string } };
        const generate = update.callback_query?.data === 'v1|go';
        if (generate && generateDeliveries.length === 0) {
          generateDeliveries.push('a');
          await forward(backends.a, request.url ?? '/', headers, body);
          return response.writeHead(502).end();
        }
        if (generate) generateDeliveries.push('b');
        const answer = await forward(
          generate ? backends.b : backends.a,
          request.url ?? '/',
          headers,
          body,
        );
        response.writeHead(answer.status, {
          'content-type': answer.headers.get('content-type') ?? 'application/json',
        });
        response.end(Buffer.from(await answer.arrayBuffer()));
      })().catch(() => response.writeHead(502).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    backends,
    generateDeliveries,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.skipIf(skip)(
  'one progress message, whichever instance runs the generation (PostgreSQL, webhook)',
  () => {
    let dir: string;
    let database: TestDatabase;
    let emulator: TelegramEmulator;
    let forwarder: Awaited<ReturnType<typeof startForwarder>>;
    const services: RunningService[] = [];
    const token = '987654324:E2E-progress-message-token-00000';
    const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'ugc-progress-'));
      database = await createTestDatabase();
      emulator = await startTelegramEmulator({
        token,
        fileDirectory: join(dir, 'tg'),
        webhook: { retryDelaysMs: [50, 100, 250], maxAttempts: 100 },
      });
      forwarder = await startForwarder();
      const catalogCache = join(tmpdir(), 'ugc-e2e-starter-catalog');
      await buildStarterCatalog({ catalogDir: catalogCache, logger: log });
      await mkdir(join(dir, 'shared-data'), { recursive: true });
      await symlink(catalogCache, join(dir, 'shared-data', 'catalog'), 'dir');
      const config = loadConfig({
        TELEGRAM_BOT_TOKEN: token,
        TELEGRAM_API_ROOT: emulator.apiRoot,
        WEBHOOK_URL: `${forwarder.url}/telegram/webhook`,
        WEBHOOK_SECRET_TOKEN: 'progress-message-secret',
        DATABASE_URL: database.url,
        DATA_DIR: join(dir, 'shared-data'),
        LINK_SIGNING_SECRET: 'progress-message-link-secret-0123456789',
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: '0',
      });
      // A answers Telegram and runs no generations; B runs them.
      const [a, b] = await Promise.all([
        startService(config, log.child({ instance: 'a' }), { runPipeline: false }),
        startService(config, log.child({ instance: 'b' })),
      ]);
      services.push(a, b);
      forwarder.backends.a = a.httpUrl;
      forwarder.backends.b = b.httpUrl;
    }, 180_000);

    afterAll(async () => {
      for (const service of services) await service.stop();
      await forwarder?.close();
      await emulator?.close();
      await database?.drop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('requested on A, redelivered to B, run by B: the confirmation is the one progress message, edited through to delivered', async () => {
      const user = emulator.user({ id: 3301, firstName: 'Ida', languageCode: 'en' });
      await user.sendCommand('/start');
      await user.waitFor('What would you like to do?', { timeoutMs: 20_000 });
      await user.sendCommand('/create_ads');
      await user.waitFor('Step 1 · Format', { timeoutMs: 20_000 });
      await user.pressButton('🗣 Talking head');
      await user.waitFor('Who should speak', { timeoutMs: 20_000 });
      await user.pressButton('👩 Woman');
      await user.waitFor((message) => message.media?.kind === 'photo', { timeoutMs: 20_000 });
      await user.pressButton('✅ Choose');
      await user.waitFor('Step 2b', { timeoutMs: 20_000 });
      await user.pressButton(/Continue to the voice/);
      await user.waitFor('Step 3 · Voice', { timeoutMs: 20_000 });
      await user.pressButton(
        (button, message) => button.text === '✅' && (message.text ?? '').includes('Step 3'),
      );
      await user.waitFor('Step 4 · Script', { timeoutMs: 20_000 });
      await user.sendText('Handmade candles with cedar and vanilla, now in our shop.');
      const confirmation = await user.waitFor('Step 5', { timeoutMs: 20_000 });
      await user.pressButton(/Generate/);

      const video = await awaitVideo(user);
      expect(video.caption).toContain('Your video is ready');
      // Both instances handled the click: A first, then B after the lost answer.
      expect(forwarder.generateDeliveries).toEqual(['a', 'b']);

      // Give a stray progress message or a late edit the time to show up, if there were one.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const progressTexts = /in the queue|⏳|✅ Done/;
      const progress = user
        .botMessages()
        .filter((message) => progressTexts.test(message.text ?? ''));
      expect(progress.map((message) => message.messageId)).toEqual([confirmation.messageId]);
      expect(progress[0]?.text).toBe('✅ Done — the video is below.');
      expect(progress[0]?.editCount).toBeGreaterThanOrEqual(2);
      expect(
        user
          .messages()
          .filter(
            (message) =>
              message.media?.kind === 'video' && !(message.caption ?? '').includes('Example'),
          ),
      ).toHaveLength(1);

      const store = services[1]!.store;
      const requested = (await store.readStream('user-3301')).filter(
        (event) => event.type === 'GenerationRequested',
      );
      expect(requested).toHaveLength(1);
      const generationId = String(requested[0]?.data.generationId);
      expect(requested[0]?.data.progressMessage).toEqual({
        chatId: 3301,
        messageId: confirmation.messageId,
      });
      const types = (await store.readStream(`generation-${generationId}`)).map(
        (event) => event.type,
      );
      expect(types).not.toContain('ProgressMessagePosted');
      expect(types.filter((type) => type === 'VideoDelivered')).toHaveLength(1);
    }, 300_000);
  },
);
