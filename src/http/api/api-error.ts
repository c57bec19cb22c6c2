import { AppError } from '../../errors/app-error.js';
import type { ErrorCode } from '../../errors/error-codes.js';

/**
 * An expected API refusal: the HTTP status, a stable machine code and a message safe to show.
 * `expose` tells the server's error handler to keep the message even for 5xx answers.
 */
export class ApiError extends AppError {
  override readonly name = 'ApiError';
  readonly expose = true;
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  /** The client may send the same request again later: it was limited, or we were unavailable. */
  get retryable(): boolean {
    return retryableStatuses.has(this.statusCode);
  }
}

const retryableStatuses: ReadonlySet<number> = new Set([429, 502, 503, 504]);

export const badRequest = (message: string) => new ApiError(400, 'BAD_REQUEST', message);
export const notFound = (message: string) => new ApiError(404, 'NOT_FOUND', message);
