import type { ErrorCode } from '../../errors/error-codes.js';
import { ProviderError, type ProviderErrorKind } from '../provider-error.js';

const localStorageProvider = 'local-storage';

/**
 * Base for failures of file storage, on the local disk and in S3 alike (the S3 adapter raises
 * these too, with its own provider error as the cause): provider errors, so a missing object, a
 * bad key or an outage is treated the same whichever store is configured.
 */
export abstract class LocalStorageError extends ProviderError {
  constructor(
    message: string,
    options: StorageErrorOptions & { readonly kind: ProviderErrorKind; readonly code?: ErrorCode },
  ) {
    super(message, {
      ...options,
      provider: options.provider ?? localStorageProvider,
      namedInMessage: true,
    });
  }
}

export interface StorageErrorOptions extends ErrorOptions {
  /** The store that failed (`s3`); the local disk when absent. */
  readonly provider?: string;
}

/**
 * A key that could escape the storage root or that the object stores disagree on. Keys come from
 * code, not users, so this is a bug to fix rather than input to correct.
 */
export class InvalidStorageKeyError extends LocalStorageError {
  override readonly name: string = 'InvalidStorageKeyError';
  constructor(
    readonly key: string,
    readonly reason: string,
    options?: StorageErrorOptions,
  ) {
    super(`Invalid storage key ${JSON.stringify(key.slice(0, 200))}: ${reason}`, {
      kind: 'invalid_request',
      code: 'INVALID_STORAGE_KEY',
      ...options,
    });
  }
}

export class StorageObjectNotFoundError extends LocalStorageError {
  override readonly name: string = 'StorageObjectNotFoundError';
  constructor(
    readonly key: string,
    options?: StorageErrorOptions,
  ) {
    super(`No stored object under ${JSON.stringify(key)}`, {
      kind: 'not_found',
      code: 'STORAGE_OBJECT_NOT_FOUND',
      ...options,
    });
  }
}

/**
 * Writing, reading or removing a file failed for a reason other than its absence. Of the S3 store,
 * it keeps the kind of the SDK failure (throttled, refused credentials, outage); of the disk, it is
 * a server-side failure, worth another try.
 */
export class StorageIoError extends LocalStorageError {
  override readonly name: string = 'StorageIoError';
  constructor(
    readonly operation: string,
    readonly key: string,
    options?: StorageErrorOptions & { readonly kind?: ProviderErrorKind },
  ) {
    const kind =
      options?.kind ?? (options?.cause instanceof ProviderError ? options.cause.kind : 'server');
    super(`Storage ${operation} failed for ${JSON.stringify(key)}`, {
      ...options,
      kind,
      ...(kind === 'server' ? { code: 'STORAGE_IO_FAILED' } : {}),
    });
  }
}

export type DownloadTokenProblem = 'malformed' | 'bad_signature' | 'expired';

/** A download link that was not made by us, was altered, or has run out. */
export class InvalidDownloadTokenError extends LocalStorageError {
  override readonly name: string = 'InvalidDownloadTokenError';
  constructor(
    readonly problem: DownloadTokenProblem,
    options?: ErrorOptions,
  ) {
    super(`Download link rejected: ${problem}`, {
      kind: 'invalid_request',
      code: 'INVALID_DOWNLOAD_TOKEN',
      ...options,
    });
  }
}
