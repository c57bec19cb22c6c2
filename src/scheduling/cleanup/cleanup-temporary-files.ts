import type { Logger } from '../../logging/logger.js';
import type { FileStorage } from '../../ports/file-storage/file-storage.js';
import { temporaryPrefix } from '../../ports/file-storage/storage-key.js';
import {
  selectExpiredTemporaryFiles,
  type ListedObject,
} from './select-expired-temporary-files.js';

export interface CleanupTemporaryFilesOptions {
  readonly storage: FileStorage;
  /** TEMP_FILE_TTL_HOURS in milliseconds. */
  readonly olderThanMs: number;
  readonly log: Logger;
  /** Milliseconds since the epoch; default the current time. */
  readonly now?: number;
  readonly prefix?: string;
  /** Objects still in use (an upload a draft refers to) are kept however old they are. */
  readonly keep?: (key: string) => boolean;
  /** Deletions in flight at once; object stores answer each in one round trip. Default 4. */
  readonly concurrency?: number;
  /** Stops starting new deletions (a shutdown); those in flight finish. */
  readonly signal?: AbortSignal;
}

export interface CleanupReport {
  /** Objects under the prefix. */
  readonly scanned: number;
  readonly expired: number;
  readonly deleted: number;
  readonly deletedBytes: number;
  /** Deletions that failed; they are retried by the next run. */
  readonly failed: number;
  readonly aborted: boolean;
  readonly elapsedMs: number;
}

/**
 * Deletes temporary objects older than the TTL from any `FileStorage`. A failed deletion is logged
 * and counted, not thrown, so one stuck object does not keep the rest; a failed listing throws,
 * since then nothing is known. Safe to run twice at once: deleting a missing object succeeds.
 */
export async function cleanupTemporaryFiles(
  options: CleanupTemporaryFilesOptions,
): Promise<CleanupReport> {
  const { storage, log } = options;
  const startedAt = performance.now();
  const prefix = options.prefix ?? temporaryPrefix;
  const listed = await storage.list(prefix);
  const keep = options.keep;
  const expired = selectExpiredTemporaryFiles(listed, {
    now: options.now ?? Date.now(),
    olderThanMs: options.olderThanMs,
    prefix,
  }).filter((object) => !keep?.(object.key));

  let deleted = 0;
  let deletedBytes = 0;
  let failed = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < expired.length && !options.signal?.aborted) {
      const object: ListedObject = expired[next++]!;
      try {
        await storage.delete(object.key);
        deleted += 1;
        deletedBytes += object.sizeBytes;
      } catch (error) {
        failed += 1;
        log.warn(
          { stage: 'storage', provider: storage.provider, key: object.key, err: error },
          'temporary file could not be deleted',
        );
      }
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 4, expired.length));
  await Promise.all(Array.from({ length: concurrency }, worker));

  const report: CleanupReport = {
    scanned: listed.length,
    expired: expired.length,
    deleted,
    deletedBytes,
    failed,
    aborted: options.signal?.aborted ?? false,
    elapsedMs: Math.round(performance.now() - startedAt),
  };
  log.info(
    {
      stage: 'storage',
      provider: storage.provider,
      prefix,
      ...report,
      bytes: deletedBytes,
      olderThanMs: options.olderThanMs,
    },
    'temporary files cleaned up',
  );
  return report;
}
