import { AppError } from '../errors/app-error.js';
import type { FailureStage } from '../domain/events/values.js';

/** Base for failures the pipeline raises on purpose; `code` is stable for logs and tests. */
export abstract class PipelineError extends AppError {}

/** A stage could not finish; `retryable` says whether trying again may help. */
export class StageFailedError extends PipelineError {
  override readonly name = 'StageFailedError';
  readonly code = 'STAGE_FAILED';
  constructor(
    readonly stage: FailureStage,
    readonly retryable: boolean,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The domain refused a command the pipeline sent: a bug or unusable provider output, never retried.
 */
export class CommandRejectedError extends PipelineError {
  override readonly name = 'CommandRejectedError';
  readonly code = 'COMMAND_REJECTED';
  readonly retryable = false;
  constructor(
    readonly command: string,
    readonly rejection: { readonly code: string; readonly message: string },
    options?: ErrorOptions,
  ) {
    super(`${command} was rejected: ${rejection.code} (${rejection.message})`, options);
  }
}

/** Why a worker let go of a job before it finished; carried as the abort signal's reason. */
export class WorkInterruptedError extends PipelineError {
  override readonly name = 'WorkInterruptedError';
  readonly code = 'WORK_INTERRUPTED';
  // The job itself did not fail: it is released (or left to its new owner), never recorded as
  // failed.
  readonly retryable = true;
  constructor(
    /**
     * `stopping`: release the job; `lease_lost`: another worker owns it; `halted`: touch nothing.
     */
    readonly why: 'stopping' | 'lease_lost' | 'halted',
    options?: ErrorOptions,
  ) {
    super(`generation work interrupted: ${why}`, options);
  }
}

export function isInterruption(error: unknown): error is WorkInterruptedError {
  return error instanceof WorkInterruptedError;
}
