import type { ErrorCode } from './error-codes.js';

/**
 * The base of every error the product raises on purpose at a boundary: a stable `code` from
 * `error-codes.ts` and an explicit `retryable` (whether doing the same thing again may succeed).
 * Callers decide by `instanceof AppError` and these two fields, never by an error's shape.
 * Subclasses declare both, as fields or getters; `cause` is the standard `ErrorOptions` one.
 */
export abstract class AppError extends Error {
  abstract readonly code: ErrorCode;
  abstract readonly retryable: boolean;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/**
 * How a failure that is not an AppError (a library's, a runtime's, a bug) is treated: presumed
 * transient, with no code. A bounded retry costs little, and a generation that still fails is
 * refunded either way; an error that knows better must be (or be wrapped in) an AppError.
 */
export const unknownErrorRetryable = true;

/** Whether another attempt may succeed: the error's own word, or the rule for unknown errors. */
export function isRetryable(error: unknown): boolean {
  return error instanceof AppError ? error.retryable : unknownErrorRetryable;
}

/** The error's stable code, or undefined for errors that are not AppErrors. */
export function codeOf(error: unknown): ErrorCode | undefined {
  return error instanceof AppError ? error.code : undefined;
}
