import { AppError } from '../../errors/app-error.js';

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

export type EventCopyErrorCode =
  /** The target already holds events that are not the source's first events, in order. */
  | 'TARGET_NOT_A_PREFIX'
  /** Source and target name the same store. */
  | 'SAME_STORE'
  /** A source stream's revisions do not run 0, 1, 2, … (a truncated EventStoreDB stream). */
  | 'SOURCE_REVISION_GAP'
  /** The target refused an append the prefix check said it would take (someone else writes to it). */
  | 'TARGET_REFUSED_APPEND'
  /** The source received events after the copy reached its end: the service still writes to it. */
  | 'SOURCE_CHANGED'
  /** After the copy, the target's count or checksum differs from the source's. */
  | 'VERIFICATION_FAILED';
