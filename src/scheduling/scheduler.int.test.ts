import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresEventStore } from '../adapters/event-store/postgres/postgres-event-store.js';
import { LocalFileStorage } from '../adapters/local/storage/local-file-storage.js';
import { UserCommands } from '../commands/user-commands.js';
import {
  parseScheduleEvent,
  reportStream,
  type ScheduleEvent,
} from '../domain/events/schedule-events.js';
import type { EventStore } from '../ports/event-store/event-store.js';
import { ProjectionSet } from '../projections/projection-set.js';
import { computeDailyFigures, summarizeFigures } from './daily-report/daily-figures.js';
import type { AdminReportSender, ReportMessage } from './daily-report/report-sender.js';
import { ReportSendError } from './daily-report/report-sender.js';
import { openPgWorld, silentLogger, type PgWorld } from '../testing/pg-world.js';
import { skipWithoutPostgres } from '../testing/postgres.js';
import { seedActivity } from '../testing/seed-activity.js';
import { appendScheduleEvent } from './schedule-stream.js';
import { startScheduler, type RunningScheduler, type SchedulerConfig } from './scheduler.js';
import { waitUntilAllVisible } from '../testing/scheduling/wait-until-visible.js';

const skip = await skipWithoutPostgres('scheduler (PostgreSQL)');

class RecordingSender implements AdminReportSender {
  readonly sent: ReportMessage[] = [];
  failWith: Error | undefined;
  async sendReport(message: ReportMessage): Promise<{ messageId: number }> {
    if (this.failWith) throw this.failWith;
    this.sent.push(message);
    return { messageId: 1000 + this.sent.length };
  }
}

describe.skipIf(skip)('scheduled jobs on one PostgreSQL event store', () => {
  let pg: PgWorld;
  let dir: string;
  // Three "processes": each its own event-store pool, as separate instances would have.
  const stores: EventStore[] = [];
  const running: RunningScheduler[] = [];

  beforeAll(async () => {
    pg = await openPgWorld();
    dir = await mkdtemp(join(tmpdir(), 'ugc-scheduler-'));
    stores.push(pg.store);
    for (let i = 0; i < 2; i += 1)
      stores.push(
        await openPostgresEventStore({
          connectionString: pg.database.url,
          maxConnections: 5,
          pollIntervalMs: 100,
        }),
      );
  });

  afterAll(async () => {
    await Promise.all(running.map((scheduler) => scheduler.stop()));
    for (const store of stores.slice(1)) await store.close();
    await pg?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const config = (overrides: Partial<SchedulerConfig> = {}): SchedulerConfig => ({
    DAILY_REPORT_CRON: '0 9 * * *',
    DAILY_REPORT_TZ: 'UTC',
    CLEANUP_CRON: '17 * * * *',
    ADMIN_FEEDBACK_CHAT_ID: '-100123',
    TEMP_FILE_TTL_HOURS: 24,
    UPLOAD_RETENTION_DAYS: 30,
    DATA_DIR: join(dir, 'data'),
    ...overrides,
  });

  const start = (
    index: number,
    options: {
      now?: () => Date;
      sender?: AdminReportSender;
      config?: Partial<SchedulerConfig>;
      claimTimeoutMs?: number;
    } = {},
  ) => {
    const scheduler = startScheduler({
      store: stores[index]!,
      readModels: pg.readModels,
      storage: new LocalFileStorage({ rootDir: join(dir, 'files') }),
      reportSender: options.sender ?? new RecordingSender(),
      config: config(options.config),
      log: silentLogger,
      instanceId: `instance-${index}`,
      ...(options.now ? { now: options.now } : {}),
      ...(options.claimTimeoutMs !== undefined ? { claimTimeoutMs: options.claimTimeoutMs } : {}),
    });
    running.push(scheduler);
    return scheduler;
  };

  const streamEvents = async (stream: string): Promise<ScheduleEvent[]> =>
    (await pg.store.readStream(stream)).map((r) =>
      parseScheduleEvent(r.type, r.data, Number(r.metadata.schemaVersion)),
    );

  it('three instances firing the same report and cleanup slot: one report sent, one cleanup run', async () => {
    // Before the 09:00 slot, so the start-up catch-up has nothing to do.
    const now = () => new Date('2026-06-10T08:59:59Z');
    const senders = [new RecordingSender(), new RecordingSender(), new RecordingSender()];
    const schedulers = senders.map((sender, i) => start(i, { now, sender }));
    await Promise.all(schedulers.map((s) => s.started));
    expect(senders.flatMap((s) => s.sent)).toHaveLength(0);

    const slot = new Date('2026-06-10T09:00:00Z');
    const outcomes = await Promise.all(schedulers.map((s) => s.runReportSlot(slot)));
    expect(outcomes.filter((o) => o?.kind === 'delivered')).toHaveLength(1);
    expect(outcomes.filter((o) => o?.kind === 'claimed_elsewhere')).toHaveLength(2);
    expect(senders.flatMap((s) => s.sent).map((m) => m.fileName)).toEqual([
      'daily-report-2026-06-09.png',
    ]);
    expect((await streamEvents(reportStream('2026-06-09'))).map((e) => e.type)).toEqual([
      'DailyReportClaimed',
      'DailyReportDelivered',
    ]);

    const cleanupSlot = new Date('2026-06-10T09:17:00Z');
    const cleanups = await Promise.all(schedulers.map((s) => s.runCleanupSlot(cleanupSlot)));
    expect(cleanups.map((c) => c.kind).sort()).toEqual([
      'claimed_elsewhere',
      'claimed_elsewhere',
      'completed',
    ]);
    expect((await streamEvents('cleanup-2026-06-10T09:17:00Z')).map((e) => e.type)).toEqual([
      'CleanupClaimed',
      'CleanupCompleted',
    ]);

    // Firing the same slot again later (a second tick, a restarted instance) changes nothing.
    const again = await Promise.all(schedulers.map((s) => s.runReportSlot(slot)));
    expect(again.map((o) => o?.kind)).toEqual([
      'already_delivered',
      'already_delivered',
      'already_delivered',
    ]);
    expect(senders.flatMap((s) => s.sent)).toHaveLength(1);
    await Promise.all(schedulers.map((s) => s.stop()));
  });

  it('real cron timers on three instances firing every second: each slot runs once', async () => {
    const senders = [new RecordingSender(), new RecordingSender(), new RecordingSender()];
    const every = {
      DAILY_REPORT_CRON: '* * * * * *',
      CLEANUP_CRON: '* * * * * *',
      DAILY_REPORT_TZ: 'Europe/Moscow',
    };
    const before = new Date();
    const schedulers = senders.map((sender, i) => start(i, { sender, config: every }));
    await new Promise((resolve) => setTimeout(resolve, 3200));
    await Promise.all(schedulers.map((s) => s.stop()));
    await waitUntilAllVisible(pg.store);

    // Every second reports "yesterday in Moscow": the first claim wins, the rest find it delivered.
    expect(senders.flatMap((s) => s.sent)).toHaveLength(1);
    const slots = new Set<string>();
    for (let t = Math.floor(before.getTime() / 1000) * 1000; t <= Date.now(); t += 1000)
      slots.add(`cleanup-${new Date(t).toISOString().slice(0, 19)}Z`);
    const streams = (
      await pg.store.readAll({ streamPrefixes: ['cleanup-'], maxCount: 10_000 })
    ).events.filter((e) => slots.has(e.streamName));
    const byStream = new Map<string, string[]>();
    for (const event of streams)
      byStream.set(event.streamName, [...(byStream.get(event.streamName) ?? []), event.type]);
    expect(byStream.size).toBeGreaterThanOrEqual(2);
    for (const types of byStream.values())
      expect(types).toEqual(['CleanupClaimed', 'CleanupCompleted']);
  });

  it('a claim left by a crash before delivery is resent once, by one of the restarted instances', async () => {
    const now = () => new Date('2026-07-02T10:00:00Z');
    const day = '2026-07-01';
    // What a process that died between claim and sendPhoto leaves behind.
    await appendScheduleEvent(
      pg.store,
      reportStream(day),
      {
        type: 'DailyReportClaimed',
        data: {
          day,
          timeZone: 'UTC',
          attempt: 1,
          claimedBy: 'crashed',
          claimedAt: '2026-07-02T09:00:00Z',
          trigger: 'schedule',
        },
      },
      'no_stream',
      { instanceId: 'crashed', now, correlationId: reportStream(day) },
    );
    const senders = [new RecordingSender(), new RecordingSender(), new RecordingSender()];
    const schedulers = senders.map((sender, i) => start(i, { now, sender }));
    await Promise.all(schedulers.map((s) => s.started));
    expect(senders.flatMap((s) => s.sent).map((m) => m.fileName)).toEqual([
      `daily-report-${day}.png`,
    ]);
    const events = await streamEvents(reportStream(day));
    expect(events.map((e) => e.type)).toEqual([
      'DailyReportClaimed',
      'DailyReportClaimed',
      'DailyReportDelivered',
    ]);
    expect(events[1]).toMatchObject({ data: { attempt: 2, trigger: 'resend' } });
    expect(events[2]).toMatchObject({ data: { attempt: 2, chatId: '-100123' } });
    await Promise.all(schedulers.map((s) => s.stop()));

    // Another restart finds it delivered.
    const later = new RecordingSender();
    const restarted = start(0, { now, sender: later });
    await restarted.started;
    expect(later.sent).toHaveLength(0);
    await restarted.stop();
  });

  it('leaves a fresh claim to its owner, retries a transient failure after the timeout, gives up on a permanent one', async () => {
    let clock = new Date('2026-08-02T09:00:30Z');
    const now = () => clock;
    const flaky = new RecordingSender();
    flaky.failWith = new ReportSendError('502 Bad Gateway', false);
    const scheduler = start(0, { now, sender: flaky, claimTimeoutMs: 60_000 });
    await scheduler.started;
    expect((await streamEvents(reportStream('2026-08-01'))).map((e) => e.type)).toEqual([
      'DailyReportClaimed',
    ]);
    expect(await scheduler.report!.run('2026-08-01', 'resend')).toMatchObject({
      kind: 'claim_fresh',
    });
    flaky.failWith = undefined;
    clock = new Date('2026-08-02T09:01:30Z');
    expect(await scheduler.report!.run('2026-08-01', 'resend')).toMatchObject({
      kind: 'delivered',
      attempt: 2,
    });

    clock = new Date('2026-08-03T09:00:00Z');
    flaky.failWith = new ReportSendError('400: Bad Request: chat not found', true);
    expect(await scheduler.runReportSlot(clock)).toMatchObject({ kind: 'failed', permanent: true });
    clock = new Date('2026-08-03T10:00:00Z');
    expect(await scheduler.report!.run('2026-08-02', 'resend')).toMatchObject({
      kind: 'abandoned',
    });
    expect((await streamEvents(reportStream('2026-08-02'))).map((e) => e.type)).toEqual([
      'DailyReportClaimed',
      'DailyReportAbandoned',
    ]);
    await scheduler.stop();
  });

  it('reports figures equal to the daily_stats read model for seeded days (UTC)', async () => {
    await seedActivity(pg.store, { users: 16, seed: 11, startDay: '2026-05-01' });
    const projections = new ProjectionSet({
      store: pg.store,
      readModels: pg.readModels,
      log: silentLogger,
    });
    await waitUntilAllVisible(pg.store);
    await projections.catchUpOnce();
    const days = await pg.readModels.db
      .selectFrom('daily_stats')
      .selectAll()
      .where('day', '>=', '2026-05-01')
      .where('day', '<', '2026-05-10')
      .orderBy('day')
      .execute();
    expect(days.length).toBeGreaterThanOrEqual(3);
    for (const row of days) {
      const day = String(row.day);
      const figures = await computeDailyFigures(pg.readModels.db, day, 'UTC');
      expect({ day, newUsers: figures.newUsers, activeUsers: figures.activeUsers }).toEqual({
        day,
        newUsers: row.new_users,
        activeUsers: row.active_users,
      });
      expect(figures.generations.talking_head).toMatchObject({
        requested: row.talking_head_requested,
        completed: row.talking_head_completed,
        failed: row.talking_head_failed,
        inProgress: 0,
      });
      expect(figures.generations.background).toMatchObject({
        requested: row.background_requested,
        completed: row.background_completed,
        failed: row.background_failed,
        inProgress: 0,
      });
      expect(figures.credits).toEqual({
        granted: row.credits_granted,
        spent: row.credits_spent,
        refunded: row.credits_refunded,
        revoked: row.credits_revoked,
      });
      expect(figures.stageTimings).toEqual(row.stage_timings);
    }
    // And what the job sends (and records) is those figures.
    const sender = new RecordingSender();
    const day = String(days[0]!.day);
    const slot = new Date(Date.parse(`${day}T06:00:00Z`) + 86_400_000);
    // An hour before the slot, so the start-up catch-up leaves the day to the slot.
    const scheduler = start(1, {
      now: () => new Date(slot.getTime() - 3600_000),
      sender,
      config: { DAILY_REPORT_CRON: '0 6 * * *' },
    });
    await scheduler.started;
    expect(sender.sent).toHaveLength(0);
    const outcome = await scheduler.runReportSlot(slot);
    expect(outcome).toMatchObject({ kind: 'delivered', day });
    const delivered = (await streamEvents(reportStream(day))).find(
      (e) => e.type === 'DailyReportDelivered',
    );
    expect(delivered?.data).toMatchObject({
      summary: summarizeFigures(await computeDailyFigures(pg.readModels.db, day, 'UTC')),
    });
    expect(sender.sent[0]?.caption).toContain(`New users: <b>${days[0]!.new_users}</b>`);
    await scheduler.stop();
  });

  it('a Moscow report sent just after local midnight covers the Moscow day, not the UTC one', async () => {
    const register = async (telegramId: number, at: string) => {
      const handler = new UserCommands({ store: pg.store, now: () => new Date(at) });
      const actor = { kind: 'user' as const, id: String(telegramId) };
      await handler.execute(
        telegramId,
        {
          type: 'RegisterUser',
          telegramId,
          username: null,
          firstName: 'T',
          language: 'en',
          welcomeCredits: 2,
          grantId: `w-${telegramId}`,
        },
        { commandId: randomUUID(), actor },
      );
    };
    await register(880_001, '2026-02-09T22:00:00Z'); // 01:00 on the 24th in Moscow, the 23rd in UTC
    await register(880_002, '2026-02-10T12:00:00Z'); // the 24th everywhere
    await register(880_003, '2026-02-10T21:10:00Z'); // 00:10 on the 25th in Moscow, the 24th in UTC
    await register(880_004, '2026-02-10T23:00:00Z'); // the 25th in Moscow, still the 24th in UTC
    await waitUntilAllVisible(pg.store);
    await new ProjectionSet({
      store: pg.store,
      readModels: pg.readModels,
      log: silentLogger,
    }).catchUpOnce();

    const sender = new RecordingSender();
    // 00:30 in Moscow on the 25th: the midnight slot has passed and yesterday's report is missing,
    // so start-up sends it.
    const scheduler = start(2, {
      now: () => new Date('2026-02-10T21:30:00Z'),
      sender,
      config: { DAILY_REPORT_TZ: 'Europe/Moscow', DAILY_REPORT_CRON: '0 0 * * *' },
    });
    await scheduler.started;
    expect(sender.sent.map((m) => m.fileName)).toEqual(['daily-report-2026-02-10.png']);
    const delivered = (await streamEvents(reportStream('2026-02-10'))).find(
      (e) => e.type === 'DailyReportDelivered',
    );
    expect(delivered?.data).toMatchObject({ summary: { newUsers: 2, creditsGranted: 4 } });
    expect((await computeDailyFigures(pg.readModels.db, '2026-02-10', 'UTC')).newUsers).toBe(3);
    await scheduler.stop();
  });

  it('cleanup deletes expired temporary files, finished and expired work directories, and releases abandoned edits', async () => {
    const workRoot = join(dir, 'data', 'work');
    await mkdir(workRoot, { recursive: true });
    const made = async (name: string, ageMs: number) => {
      const path = join(workRoot, name);
      await mkdir(path, { recursive: true });
      await writeFile(join(path, 'speech.wav'), Buffer.alloc(2048));
      const at = new Date(Date.now() - ageMs);
      await utimes(path, at, at);
    };
    await pg.readModels.db
      .insertInto('pipeline_jobs')
      .values([
        { generation_id: 'gen-done', user_id: 1, status: 'delivered' },
        { generation_id: 'gen-live', user_id: 1, status: 'running' },
      ])
      .execute();
    await made('ugc-generation-gen-done-a1b2c3', 30 * 60_000);
    await made('ugc-generation-gen-live-d4e5f6', 30 * 60_000);
    await made('ugc-generation-gen-lost-g7h8i9', 30 * 3600_000);
    await made('not-ours', 30 * 3600_000);

    const t0 = new Date();
    const editAt = async (telegramId: number, at: Date) => {
      const handler = new UserCommands({ store: pg.store, now: () => at });
      const actor = { kind: 'user' as const, id: String(telegramId) };
      const run = (command: Parameters<UserCommands['execute']>[1]) =>
        handler.execute(telegramId, command, { commandId: randomUUID(), actor });
      await run({
        type: 'RegisterUser',
        telegramId,
        username: null,
        firstName: 'E',
        language: 'en',
        welcomeCredits: 1,
        grantId: `w-${telegramId}`,
      });
      // The wizard's order: a format before the character (a refused step would leave no edit).
      expect((await run({ type: 'SelectFormat', format: 'talking_head' })).ok).toBe(true);
      expect((await run({ type: 'ChooseCharacterGender', gender: 'female' })).ok).toBe(true);
      await run({
        type: 'SelectCharacter',
        characterId: 'c-1',
        gender: 'female',
        age: 'adult',
        imageKey: 'catalog/c-1.png',
      });
      const requested = await run({
        type: 'RequestCharacterEdit',
        editId: `edit-${telegramId}`,
        prompt: 'red hat',
        maxIterations: 3,
      });
      expect(requested.ok).toBe(true);
    };
    await editAt(990_001, new Date(t0.getTime() - 3 * 3600_000)); // stuck for three hours
    await editAt(990_002, new Date(t0.getTime() - 5 * 60_000)); // still plausibly running
    await waitUntilAllVisible(pg.store);

    // Temporary files in storage: one past the 24 h TTL, one just inside it, one not temporary.
    const storage = new LocalFileStorage({ rootDir: join(dir, 'files') });
    const age = async (key: string, ms: number) => {
      const at = new Date(t0.getTime() - ms);
      await utimes(join(dir, 'files', key), at, at);
    };
    await storage.put('tmp/edits/old.png', Buffer.alloc(3000), 'image/png');
    await storage.put('tmp/edits/recent.png', Buffer.alloc(1000), 'image/png');
    await storage.put('generations/g1/final.mp4', Buffer.alloc(500), 'video/mp4');
    await age('tmp/edits/old.png', 25 * 3600_000);
    await age('tmp/edits/recent.png', 23 * 3600_000);
    await age('generations/g1/final.mp4', 30 * 24 * 3600_000);
    // Uploaded backgrounds: past the 30-day retention, past it but still in a draft, and recent.
    await storage.put('uploads/7/old.mp4', Buffer.alloc(700), 'video/mp4');
    await storage.put('uploads/7/in-draft.mp4', Buffer.alloc(800), 'video/mp4');
    await storage.put('uploads/7/recent.mp4', Buffer.alloc(900), 'video/mp4');
    await age('uploads/7/old.mp4', 31 * 24 * 3600_000);
    await age('uploads/7/in-draft.mp4', 31 * 24 * 3600_000);
    await age('uploads/7/recent.mp4', 24 * 3600_000);
    await pg.readModels.db
      .insertInto('user_state')
      .values({ user_id: 990_099, background_video_key: 'uploads/7/in-draft.mp4', updated_at: t0 })
      .execute();

    const scheduler = start(0, { now: () => t0 });
    const outcome = await scheduler.runCleanupSlot(new Date('2026-12-01T00:17:00Z'));
    expect(outcome.kind).toBe('completed');
    if (outcome.kind !== 'completed') return;
    expect(outcome.result.temporaryFiles).toEqual({ deleted: 1, bytes: 3000, error: null });
    expect(await storage.exists('tmp/edits/old.png')).toBe(false);
    expect(await storage.exists('tmp/edits/recent.png')).toBe(true);
    expect(await storage.exists('generations/g1/final.mp4')).toBe(true);
    expect(outcome.result.expiredUploads).toEqual({ deleted: 1, bytes: 700, error: null });
    expect(await storage.exists('uploads/7/old.mp4')).toBe(false);
    expect(await storage.exists('uploads/7/in-draft.mp4')).toBe(true);
    expect(await storage.exists('uploads/7/recent.mp4')).toBe(true);
    expect(outcome.result.workDirectories).toMatchObject({ deleted: 2, error: null });
    expect(outcome.result.workDirectories.bytes).toBeGreaterThanOrEqual(2 * 2048);
    expect((await readdir(workRoot)).sort()).toEqual([
      'not-ours',
      'ugc-generation-gen-live-d4e5f6',
    ]);
    expect(outcome.result.abandonedEdits).toEqual({ found: 1, released: 1, error: null });

    const users = new UserCommands({ store: pg.store });
    expect((await users.state(990_001)).draft.character?.pendingEdit).toBeNull();
    expect((await users.state(990_002)).draft.character?.pendingEdit?.editId).toBe('edit-990002');
    const failed = (await pg.store.readStream('user-990001')).filter(
      (e) => e.type === 'CharacterEditFailed',
    );
    expect(failed).toHaveLength(1);
    expect(failed[0]!.metadata.actor).toEqual({ kind: 'system', id: 'scheduler:instance-0' });
    // The user can edit again: the draft is no longer stuck.
    const retry = await users.execute(
      990_001,
      { type: 'RequestCharacterEdit', editId: 'edit-again', prompt: 'blue hat', maxIterations: 3 },
      { commandId: randomUUID(), actor: { kind: 'user', id: '990001' } },
    );
    expect(retry.ok).toBe(true);

    // A later slot finds nothing more to release.
    const next = await scheduler.runCleanupSlot(new Date('2026-12-01T01:17:00Z'));
    expect(next.kind === 'completed' && next.result.abandonedEdits).toEqual({
      found: 0,
      released: 0,
      error: null,
    });
    await scheduler.stop();
  });
});
