import type { Kysely } from 'kysely';
import type { UserCommands } from '../../commands/user-commands.js';
import { cleanupStream, type ScheduleEventData } from '../../domain/events/schedule-events.js';
import type { EventStore } from '../../ports/event-store/event-store.js';
import type { Logger } from '../../logging/logger.js';
import { JobQueue } from '../../pipeline/job-queue.js';
import { sweepWorkDirs } from '../../pipeline/work-dir-sweeper.js';
import type { FileStorage } from '../../ports/file-storage/file-storage.js';
import type { ReadModelDatabase } from '../../database/schema.js';
import { releaseAbandonedEdits } from './abandoned-edits.js';
import { appendScheduleEvent } from '../schedule-stream.js';
import { backgroundKeysInDrafts } from '../../queries/user-state-queries.js';
import {
  cleanupTemporaryFiles,
  type CleanupReport,
  type CleanupTemporaryFilesOptions,
} from './cleanup-temporary-files.js';

/**
 * Deletes objects under `tmp/` older than the TTL; `cleanupTemporaryFiles`
 * (cleanup-temporary-files.ts).
 */
export type TemporaryFileCleaner = (
  options: CleanupTemporaryFilesOptions,
) => Promise<CleanupReport>;

export type CleanupOutcome =
  | {
      readonly kind: 'completed';
      readonly slot: Date;
      readonly result: ScheduleEventData<'CleanupCompleted'>;
    }
  | { readonly kind: 'claimed_elsewhere'; readonly slot: Date };

export interface CleanupJobOptions {
  readonly store: EventStore;
  readonly db: Kysely<ReadModelDatabase>;
  readonly storage: FileStorage;
  readonly users: UserCommands;
  /** Default: `cleanupTemporaryFiles` (cleanup-temporary-files.ts). */
  readonly cleanTemporaryFiles?: TemporaryFileCleaner;
  /** DATA_DIR/work, where the pipeline keeps its scratch directories. */
  readonly workRoot?: string;
  readonly temporaryFileTtlMs: number;
  /**
   * Uploaded background clips are deleted this long after upload, unless a draft still uses them.
   */
  readonly uploadRetentionMs?: number;
  readonly abandonedEditAfterMs: number;
  readonly instanceId: string;
  readonly log: Logger;
  readonly now: () => Date;
}

const message = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).slice(0, 500);

/**
 * One cleanup run per cron slot across instances: `CleanupClaimed` is appended to
 * `cleanup-<slot>` with expected state `no_stream`, so only the winner works. Every part is
 * idempotent and the next slot repeats whatever a crashed run left, so a claim whose run died is
 * not taken over (unlike the daily report, nobody waits for this one).
 */
export class CleanupJob {
  constructor(private readonly options: CleanupJobOptions) {}

  async run(slot: Date): Promise<CleanupOutcome> {
    const { store, log, now, instanceId } = this.options;
    const stream = cleanupStream(slot);
    const context = { instanceId, now, correlationId: stream };
    const claimed = await appendScheduleEvent(
      store,
      stream,
      {
        type: 'CleanupClaimed',
        data: { slot: slot.toISOString(), claimedBy: instanceId, claimedAt: now().toISOString() },
      },
      'no_stream',
      context,
    );
    if (!claimed) return { kind: 'claimed_elsewhere', slot };
    const started = performance.now();
    const at = now();

    const temporaryFiles = { deleted: 0, bytes: 0, error: null as string | null };
    try {
      const clean = this.options.cleanTemporaryFiles ?? cleanupTemporaryFiles;
      const report = await clean({
        storage: this.options.storage,
        olderThanMs: this.options.temporaryFileTtlMs,
        now: at.getTime(),
        log,
      });
      temporaryFiles.deleted = report.deleted;
      temporaryFiles.bytes = report.deletedBytes;
      // Failed deletions are retried by the next slot; the event says how many were left.
      if (report.failed > 0)
        temporaryFiles.error = `${report.failed} of ${report.expired} expired files could not be deleted`;
    } catch (error) {
      temporaryFiles.error = message(error);
      log.error({ err: error, stage: 'storage' }, 'temporary file cleanup failed');
    }

    const workDirectories = { deleted: 0, bytes: 0, error: null as string | null };
    if (this.options.workRoot) {
      try {
        // A finished generation's directory goes soon; any other only once past the TTL, as a run
        // on another instance sharing this disk may still be writing it.
        const jobs = new JobQueue(this.options.db);
        const removed = await sweepWorkDirs({
          root: this.options.workRoot,
          now: at,
          maxAgeMs: this.options.temporaryFileTtlMs,
          finished: (ids) => jobs.finishedAmong(ids),
          log,
        });
        workDirectories.deleted = removed.deleted;
        workDirectories.bytes = removed.bytes;
      } catch (error) {
        workDirectories.error = message(error);
        log.error({ err: error, stage: 'storage' }, 'work directory cleanup failed');
      }
    }

    const expiredUploads = { deleted: 0, bytes: 0, error: null as string | null };
    if (this.options.uploadRetentionMs !== undefined) {
      try {
        const inDrafts = await backgroundKeysInDrafts(this.options.db);
        const clean = this.options.cleanTemporaryFiles ?? cleanupTemporaryFiles;
        const report = await clean({
          storage: this.options.storage,
          prefix: 'uploads/',
          olderThanMs: this.options.uploadRetentionMs,
          keep: (key) => inDrafts.has(key),
          now: at.getTime(),
          log,
        });
        expiredUploads.deleted = report.deleted;
        expiredUploads.bytes = report.deletedBytes;
        if (report.failed > 0)
          expiredUploads.error = `${report.failed} of ${report.expired} expired uploads could not be deleted`;
      } catch (error) {
        expiredUploads.error = message(error);
        log.error({ err: error, stage: 'storage' }, 'expired upload cleanup failed');
      }
    }

    const abandonedEdits = { found: 0, released: 0, error: null as string | null };
    try {
      Object.assign(
        abandonedEdits,
        await releaseAbandonedEdits({
          store,
          users: this.options.users,
          now: at,
          olderThanMs: this.options.abandonedEditAfterMs,
          instanceId,
          log,
        }),
      );
    } catch (error) {
      abandonedEdits.error = message(error);
      log.error({ err: error, stage: 'edit' }, 'abandoned edit cleanup failed');
    }

    const result = {
      slot: slot.toISOString(),
      elapsedMs: Math.round(performance.now() - started),
      temporaryFiles,
      workDirectories,
      abandonedEdits,
      expiredUploads,
    };
    await appendScheduleEvent(
      store,
      stream,
      { type: 'CleanupCompleted', data: result },
      0n,
      context,
    );
    log.info(
      {
        stage: 'storage',
        slot: result.slot,
        elapsedMs: result.elapsedMs,
        temporaryFiles: temporaryFiles.deleted,
        workDirectories: workDirectories.deleted,
        bytes: temporaryFiles.bytes + workDirectories.bytes,
        abandonedEdits: abandonedEdits.released,
        expiredUploads: expiredUploads.deleted,
      },
      'cleanup finished',
    );
    return { kind: 'completed', slot, result };
  }
}
