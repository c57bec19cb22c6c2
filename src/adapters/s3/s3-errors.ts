import { S3ServiceException } from '@aws-sdk/client-s3';
import { kindOfStatus, ProviderError, type ProviderErrorKind } from '../provider-calls/index.js';
import {
  InvalidStorageKeyError,
  StorageIoError,
  StorageObjectNotFoundError,
} from '../../ports/file-storage/file-storage-errors.js';

export const s3Provider = 's3';

// What S3, R2 and MinIO call a missing object: GetObject says NoSuchKey, HeadObject has no body
// and so only a bare 404 the SDK names NotFound.
const missingObjectNames: ReadonlySet<string> = new Set(['NoSuchKey', 'NotFound']);
const networkCodes: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** The S3 error name (`NoSuchKey`, `AccessDenied`, `NotImplemented`…) of an SDK error, if any. */
export function s3ErrorName(error: unknown): string | undefined {
  if (error instanceof ProviderError) return error.detail;
  if (error instanceof S3ServiceException) return error.name;
  return undefined;
}

export function s3Status(error: unknown): number | undefined {
  if (error instanceof ProviderError) return error.status;
  if (error instanceof S3ServiceException) return error.$metadata.httpStatusCode;
  return undefined;
}

export function isMissingObject(error: unknown): boolean {
  const name = s3ErrorName(error);
  return name !== undefined && missingObjectNames.has(name);
}

export function isNotImplemented(error: unknown): boolean {
  return s3ErrorName(error) === 'NotImplemented' || s3Status(error) === 501;
}

/**
 * Puts an SDK failure in the shared provider terms, so the resilience policy can decide whether
 * another attempt may help. The S3 error name travels as `detail` for the storage mapping.
 */
export function asProviderError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof S3ServiceException) {
    const status = error.$metadata.httpStatusCode;
    let kind: ProviderErrorKind =
      status !== undefined
        ? kindOfStatus(status)
        : error.$fault === 'server'
          ? 'server'
          : 'invalid_request';
    if (error.name === 'SlowDown' || error.$retryable?.throttling) kind = 'rate_limited';
    else if (error.name === 'NotImplemented') kind = 'invalid_request';
    return new ProviderError(`${error.name}${status !== undefined ? ` (HTTP ${status})` : ''}`, {
      provider: s3Provider,
      kind,
      ...(status !== undefined ? { status } : {}),
      detail: error.name,
      cause: error,
    });
  }
  const name = (error as Error | undefined)?.name;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (name === 'AbortError')
    return new ProviderError('cancelled', {
      provider: s3Provider,
      kind: 'cancelled',
      cause: error,
    });
  if (name === 'TimeoutError' || code === 'ETIMEDOUT' || code === 'ECONNABORTED') {
    return new ProviderError('timed out', { provider: s3Provider, kind: 'timeout', cause: error });
  }
  if (code !== undefined && networkCodes.has(code))
    return new ProviderError(`network: ${code}`, {
      provider: s3Provider,
      kind: 'network',
      cause: error,
    });
  // Our own failures (a local file that cannot be read or written) are not the provider's.
  if (code !== undefined)
    return new ProviderError(`local: ${code}`, {
      provider: s3Provider,
      kind: 'invalid_request',
      cause: error,
    });
  return new ProviderError((error as Error | undefined)?.message ?? String(error), {
    provider: s3Provider,
    kind: 'network',
    cause: error,
  });
}

/**
 * The storage error callers already handle for the local disk: a missing object is
 * `StorageObjectNotFoundError` on both, anything else `StorageIoError` with the SDK error as cause.
 */
export function toStorageError(operation: string, key: string, error: unknown): Error {
  if (
    error instanceof StorageObjectNotFoundError ||
    error instanceof StorageIoError ||
    error instanceof InvalidStorageKeyError
  )
    return error;
  if (isMissingObject(error))
    return new StorageObjectNotFoundError(key, { cause: error, provider: s3Provider });
  return new StorageIoError(operation, key, {
    cause: error,
    provider: s3Provider,
    kind: asProviderError(error).kind,
  });
}
