import { temporaryPrefix } from '../../ports/file-storage/storage-key.js';

/** What `FileStorage.list` reports about one object. */
export interface ListedObject {
  readonly key: string;
  readonly sizeBytes: number;
  readonly modifiedAt: Date;
}

export interface ExpirySelection {
  /** Milliseconds since the epoch. */
  readonly now: number;
  /** Objects strictly older than this are expired (TEMP_FILE_TTL_HOURS in milliseconds). */
  readonly olderThanMs: number;
  readonly prefix?: string;
}

/**
 * The temporary objects whose time is up. The prefix is checked again here rather than trusted
 * to the listing, so nothing outside `tmp/` can ever be chosen; objects dated in the future (a
 * skewed clock) are young, not ancient.
 */
export function selectExpiredTemporaryFiles<T extends ListedObject>(
  objects: readonly T[],
  selection: ExpirySelection,
): T[] {
  const prefix = selection.prefix ?? temporaryPrefix;
  if (!prefix.endsWith('/') || prefix === '/')
    throw new RangeError(`the temporary prefix must name a folder, got ${JSON.stringify(prefix)}`);
  if (!Number.isFinite(selection.olderThanMs) || selection.olderThanMs < 0)
    throw new RangeError(`olderThanMs must be a non-negative number, got ${selection.olderThanMs}`);
  const cutoff = selection.now - selection.olderThanMs;
  return objects.filter(
    (object) => object.key.startsWith(prefix) && object.modifiedAt.getTime() < cutoff,
  );
}
