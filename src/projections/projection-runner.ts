import { AppError } from '../errors/app-error.js';
import type { Kysely } from 'kysely';
import { filter, firstValueFrom, map, race, take, timer } from 'rxjs';
import { CheckpointedConsumer } from '../consumers/checkpointed-consumer.js';
import type { ConsumerLock } from '../consumers/consumer-lock.js';
import type { EventStore } from '../ports/event-store/event-store.js';
import { comparePositions, formatPosition, type Position } from '../ports/event-store/position.js';
import type { Logger } from '../logging/logger.js';
import type { Projection } from './projection.js';
import { projector } from './projector.js';
import type { ReadModelDatabase } from '../database/schema.js';

export interface ProjectionRunnerOptions {
  readonly store: EventStore;
  readonly db: Kysely<ReadModelDatabase>;
  readonly projection: Projection;
  readonly lock: ConsumerLock;
  readonly log: Logger;
  readonly batchSize?: number;
  /** Look for new events this often even without a wake-up. */
  readonly pollIntervalMs?: number;
  /** How often a standby runner tries to become the active one. */
  readonly standbyRetryMs?: number;
  /**
   * How long a checkpoint may stay unwritten while the runner only scans past events it does not
   * handle (most events are wizard steps no credit or generation table cares about).
   */
  readonly idleCheckpointMs?: number;
  /** How long appends gather into one batch while nobody waits (see CheckpointedConsumer). */
  readonly lagMs?: number;
  /** How long appends gather into one batch when someone waits. */
  readonly coalesceMs?: number;
}

export class ProjectionTimeoutError extends AppError {
  override readonly name = 'ProjectionTimeoutError';
  readonly code = 'PROJECTION_TIMEOUT';
  readonly retryable = true;
  constructor(
    readonly projection: string,
    readonly target: Position,
    readonly reached: Position,
    timeoutMs: number,
  ) {
    super(
      `Projection "${projection}" did not reach ${formatPosition(target)} within ${timeoutMs} ms (at ${formatPosition(reached)})`,
    );
  }
}

/**
 * Keeps one projection up to date: a checkpointed consumer of `$all` whose processor is the
 * projection's `projector` (read-model changes and checkpoint in one transaction per batch).
 * Standby runners in other processes follow the checkpoint, so `waitFor` works everywhere.
 */
export class ProjectionRunner extends CheckpointedConsumer {
  constructor(options: ProjectionRunnerOptions) {
    const { projection, ...consumer } = options;
    super({ ...consumer, processor: projector(options.db, projection) });
  }

  /** Resolves once the read model includes everything up to `target` (read-your-writes). */
  async waitFor(target: Position, timeoutMs = 10_000): Promise<void> {
    if (comparePositions(this.currentPosition, target) >= 0) return;
    this.wake();
    const reached = this.position$.pipe(
      filter((position) => comparePositions(position, target) >= 0),
      take(1),
    );
    const expired = timer(timeoutMs).pipe(map(() => 'timeout' as const));
    const outcome = await firstValueFrom(race(reached, expired));
    if (outcome === 'timeout')
      throw new ProjectionTimeoutError(this.name, target, this.currentPosition, timeoutMs);
  }
}
