import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventStore, type OpenedEventStore } from '../adapters/event-store/open-event-store.js';
import { LocalFileStorage } from '../adapters/local/storage/local-file-storage.js';
import { ProjectionSet } from '../projections/projection-set.js';
import { openReadModels, type ReadModels } from '../database/open-read-models.js';
import type { AdminReportSender, ReportMessage } from './daily-report/report-sender.js';
import { silentLogger } from '../testing/pg-world.js';
import { seedActivity } from '../testing/seed-activity.js';
import { startScheduler } from './scheduler.js';

/** The zero-config default: one process on embedded PGlite runs the same jobs and claims. */
describe('scheduler on the embedded PGlite store', () => {
  let dir: string;
  let opened: OpenedEventStore;
  let readModels: ReadModels;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ugc-scheduler-pglite-'));
    opened = await openEventStore({ kind: 'pglite', dataDir: join(dir, 'pglite') });
    readModels = await openReadModels({ kind: 'pglite', client: opened.pglite! });
    await seedActivity(opened.store, { users: 2, seed: 3, startDay: '2026-03-02' });
    await new ProjectionSet({ store: opened.store, readModels, log: silentLogger }).catchUpOnce();
  }, 60_000);

  afterAll(async () => {
    await readModels?.close();
    await opened?.store.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('sends a report with the day’s figures once and runs a cleanup slot once', async () => {
    const sent: ReportMessage[] = [];
    const sender: AdminReportSender = {
      sendReport: async (message) => (sent.push(message), { messageId: sent.length }),
    };
    const scheduler = startScheduler({
      store: opened.store,
      readModels,
      storage: new LocalFileStorage({ rootDir: join(dir, 'files') }),
      reportSender: sender,
      config: {
        DAILY_REPORT_CRON: '0 9 * * *',
        DAILY_REPORT_TZ: 'UTC',
        CLEANUP_CRON: '17 * * * *',
        ADMIN_FEEDBACK_CHAT_ID: '-1',
        TEMP_FILE_TTL_HOURS: 24,
        UPLOAD_RETENTION_DAYS: 30,
        DATA_DIR: dir,
      },
      log: silentLogger,
      now: () => new Date('2026-03-03T08:00:00Z'),
    });
    await scheduler.started;
    const slot = new Date('2026-03-03T09:00:00Z');
    expect(await scheduler.runReportSlot(slot)).toMatchObject({
      kind: 'delivered',
      day: '2026-03-02',
    });
    expect(await scheduler.runReportSlot(slot)).toMatchObject({ kind: 'already_delivered' });
    const row = await readModels.db
      .selectFrom('daily_stats')
      .selectAll()
      .where('day', '=', '2026-03-02')
      .executeTakeFirst();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.caption).toContain(`New users: <b>${row?.new_users ?? 0}</b>`);
    const cleanupSlot = new Date('2026-03-03T09:17:00Z');
    expect((await scheduler.runCleanupSlot(cleanupSlot)).kind).toBe('completed');
    expect((await scheduler.runCleanupSlot(cleanupSlot)).kind).toBe('claimed_elsewhere');
    await scheduler.stop();
  });
});
