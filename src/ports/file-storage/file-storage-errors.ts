/** Base for failures of the local file storage; `code` is stable for callers and logs. */
export abstract class LocalStorageError extends Error {
  abstract readonly code: string;
}

/**
 * A key that could escape the storage root or that the object stores disagree on. Keys come from
 * code, not users, so this is a bug to fix rather than input to correct.
 */
export class InvalidStorageKeyError extends LocalStorageError {
  override readonly name = 'InvalidStorageKeyError';
  readonly code = 'INVALID_STORAGE_KEY';
  constructor(
    readonly key: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`Invalid storage key ${JSON.stringify(key.slice(0, 200))}: ${reason}`, options);
  }
}

export class StorageObjectNotFoundError extends LocalStorageError {
  override readonly name = 'StorageObjectNotFoundError';
  readonly code = 'STORAGE_OBJECT_NOT_FOUND';
  constructor(
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(`No stored object under ${JSON.stringify(key)}`, options);
  }
}

/** Writing, reading or removing a file failed for a reason other than its absence. */
export class StorageIoError extends LocalStorageError {
  override readonly name = 'StorageIoError';
  readonly code = 'STORAGE_IO_FAILED';
  constructor(
    readonly operation: string,
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(`Storage ${operation} failed for ${JSON.stringify(key)}`, options);
  }
}

export type DownloadTokenProblem = 'malformed' | 'bad_signature' | 'expired';

/** A download link that was not made by us, was altered, or has run out. */
export class InvalidDownloadTokenError extends LocalStorageError {
  override readonly name = 'InvalidDownloadTokenError';
  readonly code = 'INVALID_DOWNLOAD_TOKEN';
  constructor(
    readonly problem: DownloadTokenProblem,
    options?: ErrorOptions,
  ) {
    super(`Download link rejected: ${problem}`, options);
  }
}
