import { AppError } from '../../errors/app-error.js';
import type { errorCodeGroups } from '../../errors/error-codes.js';

/**
 * Why a copy between event stores stopped. `code` is stable for scripts and logs; `retryable`
 * says whether running the same command again can succeed (the copy resumes where it stopped).
 */
export class EventCopyError extends AppError {
  override readonly name = 'EventCopyError';

  constructor(
    readonly code: EventCopyErrorCode,
    message: string,
    readonly retryable: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The copy's codes, listed with their meanings among the error codes; a bad address has its own
 * class.
 */
export type EventCopyErrorCode = Exclude<
  keyof (typeof errorCodeGroups)['eventCopy'],
  'BAD_STORE_ADDRESS'
>;
