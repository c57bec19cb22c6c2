import { AppError, unknownErrorRetryable } from '../errors/app-error.js';
import type { ErrorCode } from '../errors/error-codes.js';
import { scrubSecrets } from '../logging/logger.js';

export interface FailureClass {
  readonly retryable: boolean;
  /** One line for the event log and the refund reason: no stack, no secrets, bounded. */
  readonly reason: string;
  /** The error's own stable code (`VOICE_CANNOT_READ`), which decides what the user is told. */
  readonly code?: ErrorCode;
}

const maxReasonLength = 300;

/**
 * Transient or not, as the error says: an AppError carries its own `retryable` and `code`.
 * Anything else (a library's error, a bug) is an unknown failure and gets the one rule for those
 * (`unknownErrorRetryable`: presumed transient, no code), because a bounded retry costs little
 * and the user is refunded either way.
 */
export function classifyFailure(error: unknown): FailureClass {
  if (error instanceof AppError)
    return { retryable: error.retryable, reason: describeFailure(error), code: error.code };
  return { retryable: unknownErrorRetryable, reason: describeFailure(error) };
}

export function describeFailure(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const line = scrubSecrets(text).replace(/\s+/g, ' ').trim();
  return line.length > maxReasonLength
    ? `${line.slice(0, maxReasonLength - 1)}…`
    : line || 'unknown error';
}
