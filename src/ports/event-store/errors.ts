import { AppError } from '../../errors/app-error.js';
import { describeState, type ActualState, type ExpectedState } from './stream-state.js';

/** Base for every failure the event store reports on purpose; `code` is stable across copies. */
export abstract class EventStoreError extends AppError {}

/** The stream was not in the state the writer expected: someone else wrote first. */
export class WrongExpectedVersionError extends EventStoreError {
  override readonly name = 'WrongExpectedVersionError';
  readonly code = 'WRONG_EXPECTED_VERSION';
  // Loading the stream again and deciding anew may well succeed.
  readonly retryable = true;
  constructor(
    readonly streamName: string,
    readonly expectedState: ExpectedState,
    readonly actualState: ActualState,
    options?: ErrorOptions,
  ) {
    super(
      `Append to "${streamName}" expected ${describeState(expectedState)} but found ${describeState(actualState)}`,
      options,
    );
  }
}

/**
 * An event id in the batch was already stored, but not as this same batch on this same stream,
 * so the append is neither new nor a retry.
 */
export class DuplicateEventIdError extends EventStoreError {
  override readonly name = 'DuplicateEventIdError';
  readonly code = 'DUPLICATE_EVENT_ID';
  readonly retryable = false;
  constructor(
    readonly streamName: string,
    readonly eventId: string,
    options?: ErrorOptions,
  ) {
    super(
      `Event ${eventId} already exists and is not part of an identical earlier append to "${streamName}"`,
      options,
    );
  }
}

/** The store itself is unreachable or failed; the cause carries the driver's error. */
export class EventStoreUnavailableError extends EventStoreError {
  override readonly name = 'EventStoreUnavailableError';
  readonly code = 'EVENT_STORE_UNAVAILABLE';
  readonly retryable = true;
}

export function isWrongExpectedVersion(error: unknown): error is WrongExpectedVersionError {
  return error instanceof WrongExpectedVersionError;
}
