import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Cron } from 'croner';
import type { Api } from 'grammy';
import type { Kysely } from 'kysely';
import { UserCommands } from '../commands/user-commands.js';
import type { Config } from '../config/config.js';
import type { EventStore } from '../ports/event-store/event-store.js';
import type { Logger } from '../logging/logger.js';
import type { FileStorage } from '../ports/file-storage/file-storage.js';
import type { ReadModelDatabase } from '../database/schema.js';
import { telegramReportSender, type AdminReportSender } from './daily-report/report-sender.js';
import {
  CleanupJob,
  type CleanupOutcome,
  type TemporaryFileCleaner,
} from './cleanup/cleanup-job.js';
import { DailyReportJob, type ReportOutcome } from './daily-report/daily-report-job.js';
import { addDays, assertTimeZone, localDay } from '../calendar/time-zone.js';

export type SchedulerConfig = Pick<
  Config,
  | 'DAILY_REPORT_CRON'
  | 'DAILY_REPORT_TZ'
  | 'CLEANUP_CRON'
  | 'ADMIN_FEEDBACK_CHAT_ID'
  | 'TEMP_FILE_TTL_HOURS'
  | 'UPLOAD_RETENTION_DAYS'
  | 'DATA_DIR'
>;

export interface SchedulerOptions {
  readonly store: EventStore;
  readonly readModels: { readonly db: Kysely<ReadModelDatabase> };
  readonly storage: FileStorage;
  /** Where the report goes; or `api` (the bot's `bot.api`). Without either the report is off. */
  readonly reportSender?: AdminReportSender;
  readonly api?: Pick<Api, 'sendPhoto'>;
  readonly config: SchedulerConfig;
  readonly log: Logger;
  readonly now?: () => Date;
  /** Names this process in claims; unique per start by default. */
  readonly instanceId?: string;
  readonly cleanTemporaryFiles?: TemporaryFileCleaner;
  readonly users?: UserCommands;
  /** How often an undelivered report claim is looked at (default 1 min). */
  readonly recoveryIntervalMs?: number;
  /** How old an undelivered claim must be before another attempt takes it over (default 5 min). */
  readonly claimTimeoutMs?: number;
  /** A character edit pending longer than this is released by the cleanup (default 1 h). */
  readonly abandonedEditAfterMs?: number;
}

export interface RunningScheduler {
  readonly instanceId: string;
  /** Absent when there is no admin chat or no bot to send with. */
  readonly report: DailyReportJob | undefined;
  readonly cleanup: CleanupJob;
  /** Settles once the start-up catch-up and resend check have run (never rejects). */
  readonly started: Promise<void>;
  /** Runs the report job for a cron slot, as the cron does: the day before the slot's local day. */
  runReportSlot(slot: Date): Promise<ReportOutcome | undefined>;
  runCleanupSlot(slot: Date): Promise<CleanupOutcome>;
  /** Stops the timers and waits for runs in flight. */
  stop(): Promise<void>;
}

/**
 * The scheduled jobs of one instance: the daily report at DAILY_REPORT_CRON in DAILY_REPORT_TZ and
 * the cleanup at CLEANUP_CRON (same zone). Every instance runs the same timers; the claims in the
 * event store make each slot run once across all of them (see DailyReportJob and CleanupJob).
 *
 * At start-up: if the last report slot has passed and yesterday's report stream does not exist (the
 * service was down at the cron time), yesterday's report is sent now. Only yesterday: an older
 * missed day is history, not news. A recovery timer resends a claimed-but-undelivered report.
 */
export function startScheduler(options: SchedulerOptions): RunningScheduler {
  const { config, log: parentLog } = options;
  const now = options.now ?? (() => new Date());
  const instanceId =
    options.instanceId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const log = parentLog.child({ component: 'scheduler', instanceId });
  const timeZone = config.DAILY_REPORT_TZ;
  assertTimeZone(timeZone);

  const sender =
    options.reportSender ?? (options.api ? telegramReportSender(options.api) : undefined);
  const report =
    sender && config.ADMIN_FEEDBACK_CHAT_ID
      ? new DailyReportJob({
          store: options.store,
          db: options.readModels.db,
          sender,
          chatId: config.ADMIN_FEEDBACK_CHAT_ID,
          timeZone,
          instanceId,
          log,
          now,
          ...(options.claimTimeoutMs !== undefined
            ? { claimTimeoutMs: options.claimTimeoutMs }
            : {}),
        })
      : undefined;
  if (!report)
    log.warn(
      { bot: Boolean(sender), adminChat: Boolean(config.ADMIN_FEEDBACK_CHAT_ID) },
      'daily report is off: it needs the bot and ADMIN_FEEDBACK_CHAT_ID',
    );

  const cleanup = new CleanupJob({
    store: options.store,
    db: options.readModels.db,
    storage: options.storage,
    users: options.users ?? new UserCommands({ store: options.store }),
    ...(options.cleanTemporaryFiles ? { cleanTemporaryFiles: options.cleanTemporaryFiles } : {}),
    workRoot: join(config.DATA_DIR, 'work'),
    temporaryFileTtlMs: config.TEMP_FILE_TTL_HOURS * 3600_000,
    uploadRetentionMs: config.UPLOAD_RETENTION_DAYS * 86_400_000,
    abandonedEditAfterMs: options.abandonedEditAfterMs ?? 3600_000,
    instanceId,
    log,
    now,
  });

  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => undefined);
    return work;
  };
  const yesterday = () => addDays(localDay(now(), timeZone), -1);

  const runReportSlot = (slot: Date) =>
    track(
      report
        ? report.run(addDays(localDay(slot, timeZone), -1), 'schedule')
        : Promise.resolve(undefined),
    );
  const runCleanupSlot = (slot: Date) => track(cleanup.run(slot));

  const onError = (job: string) => (error: unknown) =>
    log.error({ err: error, job }, 'scheduled job failed');
  // `protect` skips a tick while the previous run of the same job is still busy in this process.
  const reportCron = new Cron(
    config.DAILY_REPORT_CRON,
    { timezone: timeZone, protect: true, paused: !report },
    async (self: Cron) => {
      await runReportSlot(self.currentRun() ?? now()).catch(onError('report'));
    },
  );
  const cleanupCron = new Cron(
    config.CLEANUP_CRON,
    { timezone: timeZone, protect: true },
    async (self: Cron) => {
      await runCleanupSlot(self.currentRun() ?? now()).catch(onError('cleanup'));
    },
  );

  const resend = async () => {
    if (!report) return;
    const outcome = await track(report.run(yesterday(), 'resend'));
    if (outcome.kind === 'delivered')
      log.warn(
        { day: outcome.day, attempt: outcome.attempt },
        'resent a report whose first attempt was not delivered',
      );
  };
  const recovery = setInterval(
    () => void resend().catch(onError('report-resend')),
    options.recoveryIntervalMs ?? 60_000,
  );
  recovery.unref();

  const started = (async () => {
    if (!report) return;
    const lastSlot = reportCron.previousRuns(1, now())[0];
    if (lastSlot && addDays(localDay(lastSlot, timeZone), -1) === yesterday()) {
      const outcome = await track(report.run(yesterday(), 'catch_up'));
      if (outcome.kind === 'delivered')
        log.info({ day: outcome.day }, 'sent the report missed while the service was down');
    }
    await resend();
  })().catch(onError('report-start-up'));

  return {
    instanceId,
    report,
    cleanup,
    started,
    runReportSlot,
    runCleanupSlot,
    async stop() {
      reportCron.stop();
      cleanupCron.stop();
      clearInterval(recovery);
      await Promise.allSettled([...inFlight]);
    },
  };
}
