import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresEventStore } from '../../src/adapters/event-store/postgres/postgres-event-store.js';
import { startService, type RunningService } from '../../src/app/service.js';
import { buildStarterCatalog } from '../../src/catalog/starter/build-starter-catalog.js';
import { loadConfig } from '../../src/config/config.js';
import { orderTalkingHead } from '../../src/dev/demo/scripted-user.js';
import {
  startTelegramEmulator,
  type TelegramEmulator,
} from '../../src/dev/telegram-emulator/index.js';
import type { RecordedEvent } from '../../src/ports/event-store/event-store.js';
import { formatPosition } from '../../src/ports/event-store/position.js';
import { allProjections } from '../../src/projections/definitions/all-projections.js';
import { rebuildProjection } from '../../src/projections/projection-set.js';
import { openReadModels } from '../../src/database/open-read-models.js';
import {
  createTestDatabase,
  skipWithoutPostgres,
  type TestDatabase,
} from '../../src/testing/postgres.js';
import { snapshotTables } from '../../src/testing/table-snapshot.js';

const skip = await skipWithoutPostgres('two full service instances (PostgreSQL)');

/**
 * What a load balancer in front of two instances does with Telegram's webhook: each update goes to
 * one instance, alternating. Counts what each instance got.
 */
async function startRoundRobin(): Promise<{
  url: string;
  backends: string[];
  served: Map<string, number>;
  close(): Promise<void>;
}> {
  const backends: string[] = [];
  const served = new Map<string, number>();
  let next = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (backends.length === 0) {
        // Not up yet: Telegram (the emulator) retries.
        response.writeHead(502).end();
        return;
      }
      const backend = backends[next++ % backends.length]!;
      const headers: Record<string, string> = {
        'content-type': String(request.headers['content-type'] ?? 'application/json'),
      };
      const secret = request.headers['x-telegram-bot-api-secret-token'];
      if (typeof secret === 'string') headers['x-telegram-bot-api-secret-token'] = secret;
      fetch(`${backend}${request.url ?? '/'}`, {
        method: request.method ?? 'POST',
        headers,
        body: Buffer.concat(chunks),
      })
        .then(async (answer) => {
          served.set(backend, (served.get(backend) ?? 0) + 1);
          response.writeHead(answer.status, {
            'content-type': answer.headers.get('content-type') ?? 'application/json',
          });
          response.end(Buffer.from(await answer.arrayBuffer()));
        })
        .catch(() => response.writeHead(502).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    backends,
    served,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function until<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const countBy = (events: readonly RecordedEvent[], type: string) =>
  events.filter((event) => event.type === type).length;

describe.skipIf(skip)(
  'two full service instances on one PostgreSQL database (webhook behind a round-robin balancer)',
  () => {
    let dir: string;
    let database: TestDatabase;
    let emulator: TelegramEmulator;
    let balancer: Awaited<ReturnType<typeof startRoundRobin>>;
    const services: RunningService[] = [];
    const token = '987654321:E2E-two-instances-token-000000000';
    const adminChat = -1_002_000_001;
    const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'ugc-two-'));
      database = await createTestDatabase();
      emulator = await startTelegramEmulator({
        token,
        fileDirectory: join(dir, 'tg'),
        webhook: { retryDelaysMs: [50, 100, 250], maxAttempts: 100 },
      });
      // The admin chat exists once someone wrote in it; the bot ignores group messages.
      await emulator
        .user({ id: 4242, firstName: 'Admin' })
        .sendInGroup('admins here', { chatId: adminChat, title: 'Admins' });
      balancer = await startRoundRobin();
      // The starter catalog is rendered once per machine and kept (the build is incremental), so
      // this test measures two instances, not ffmpeg drawing portraits.
      const catalogCache = join(tmpdir(), 'ugc-e2e-starter-catalog');
      await buildStarterCatalog({ catalogDir: catalogCache, logger: log });
      // Linked, not copied: freshness is judged by exact mtimes, which a copy does not keep.
      await mkdir(join(dir, 'shared-data'), { recursive: true });
      await symlink(catalogCache, join(dir, 'shared-data', 'catalog'), 'dir');
      const config = loadConfig({
        TELEGRAM_BOT_TOKEN: token,
        TELEGRAM_API_ROOT: emulator.apiRoot,
        WEBHOOK_URL: `${balancer.url}/telegram/webhook`,
        WEBHOOK_SECRET_TOKEN: 'two-instances-secret',
        DATABASE_URL: database.url,
        // Shared, as object storage would be: an upload taken by one instance is read by the other.
        DATA_DIR: join(dir, 'shared-data'),
        LINK_SIGNING_SECRET: 'two-instances-link-secret-0123456789',
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: '0',
        ADMIN_FEEDBACK_CHAT_ID: String(adminChat),
        // Midnight UTC has passed today, so each instance's start-up catch-up wants yesterday's
        // report.
        DAILY_REPORT_CRON: '0 0 * * *',
        DAILY_REPORT_TZ: 'UTC',
      });
      // Started together, as a deployment would: both migrate, import the catalog and claim the
      // report.
      const started = await Promise.all([
        startService(config, log.child({ instance: 'a' })),
        startService(config, log.child({ instance: 'b' })),
      ]);
      services.push(...started);
      balancer.backends.push(...started.map((service) => service.httpUrl));
    }, 120_000);

    afterAll(async () => {
      await Promise.all(services.map((service) => service.stop()));
      await balancer?.close();
      await emulator?.close();
      await database?.drop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('every order runs exactly once, each user gets one video per order, and the read models equal a rebuild', async () => {
      const [a] = services as [RunningService, RunningService];
      const people = [
        { id: 3101, firstName: 'Ann', script: 'Fresh bread daily.' },
        { id: 3102, firstName: 'Bob', script: 'New shoes are here.' },
        { id: 3103, firstName: 'Cat', script: 'Try our coffee.' },
      ];
      const ordered = await Promise.all(
        people.map(async (person) => {
          const user = emulator.user({
            id: person.id,
            firstName: person.firstName,
            languageCode: 'en',
          });
          await user.sendCommand('/start');
          await user.waitFor('What would you like to do?', { timeoutMs: 20_000 });
          const video = await orderTalkingHead(user, person.script);
          return { user, video };
        }),
      );

      // One video per order, to the person who ordered it.
      for (const { user, video } of ordered) {
        const videos = user
          .messages()
          .filter(
            (m) =>
              m.sender === 'bot' &&
              m.media?.kind === 'video' &&
              !(m.caption ?? '').includes('Example'),
          );
        expect(videos.map((m) => m.messageId)).toEqual([video.messageId]);
      }
      // Both instances answered Telegram.
      expect([...balancer.served.values()].every((n) => n > 0)).toBe(true);
      expect(balancer.served.size).toBe(2);

      // The video reaches the user before the pipeline records the delivery and settles the job.
      const jobs = await until(async () => {
        const rows = await a.readModels.db
          .selectFrom('pipeline_jobs')
          .select(['generation_id', 'status'])
          .execute();
        return rows.length === people.length && rows.every((row) => row.status === 'delivered')
          ? rows
          : undefined;
      }, 'every pipeline job delivered');

      // Exactly once in the event log: one request and one charge per order, one run of every
      // stage.
      for (const { generation_id: generationId } of jobs) {
        const stream = `generation-${generationId}`;
        const events = await a.store.readStream(stream);
        // Local providers answer at once, so there is no TalkingHeadRequested; whatever a stage
        // wrote, it wrote once.
        const types = events.map((event) => event.type);
        expect({
          stream,
          duplicates: types.filter((type, i) => types.indexOf(type) !== i),
        }).toEqual({ stream, duplicates: [] });
        for (const type of [
          'GenerationStarted',
          'AudioSynthesized',
          'TalkingHeadGenerated',
          'GenerationCompleted',
          'VideoDelivered',
        ]) {
          expect({ stream, type, count: countBy(events, type) }).toEqual({
            stream,
            type,
            count: 1,
          });
        }
        expect(countBy(events, 'GenerationFailed')).toBe(0);
      }
      for (const person of people) {
        const events = await a.store.readStream(`user-${person.id}`);
        expect({
          id: person.id,
          requested: countBy(events, 'GenerationRequested'),
          spent: countBy(events, 'CreditsSpent'),
          registered: countBy(events, 'UserRegistered'),
        }).toEqual({
          id: person.id,
          requested: 1,
          spent: 1,
          registered: 1,
        });
      }

      // Yesterday's report: both instances tried at start-up, one sent it.
      const reports = emulator
        .chatMessages(adminChat)
        .filter((m) => m.sender === 'bot' && m.media?.kind === 'photo');
      expect(reports).toHaveLength(1);
      expect(reports[0]?.caption).toContain('Daily report');

      // Every projection (and the pipeline's intake) reaches the head, whichever instance runs it.
      // The head is read afresh each time: a late commit, even one from another database on the
      // server, can make events visible a little later.
      const checkpoints = await until(async () => {
        const head = formatPosition(await a.store.headPosition());
        const rows = await a.readModels.db
          .selectFrom('projection_checkpoints')
          .select(['name', 'position'])
          .orderBy('name')
          .execute();
        const names = rows.map((row) => row.name);
        return allProjections.every((p) => names.includes(p.name)) &&
          rows.every((row) => row.position === head)
          ? { head, rows }
          : undefined;
      }, 'every checkpoint at the head');
      expect(checkpoints.rows.length).toBeGreaterThanOrEqual(allProjections.length);
      const tables = allProjections.flatMap((p) => p.tables);
      const live = await snapshotTables(a.readModels.db, tables);
      expect(live.generation_history).toHaveLength(people.length);

      // Stop both instances, rebuild every projection from zero, and compare row for row.
      await Promise.all(services.splice(0).map((service) => service.stop()));
      const store = await openPostgresEventStore({
        connectionString: database.url,
        maxConnections: 5,
      });
      const readModels = await openReadModels({ kind: 'postgres', url: database.url });
      try {
        for (const projection of allProjections)
          await rebuildProjection({ store, readModels, log, projection });
        expect(await snapshotTables(readModels.db, tables)).toEqual(live);
      } finally {
        await readModels.close();
        await store.close();
      }
    }, 180_000);
  },
);
