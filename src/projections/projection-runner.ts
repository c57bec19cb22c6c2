import { AppError } from '../errors/app-error.js';
import { sql, type Kysely } from 'kysely';
import {
  BehaviorSubject,
  EMPTY,
  Subscription,
  defer,
  expand,
  filter,
  firstValueFrom,
  from,
  map,
  race,
  repeat,
  retry,
  switchMap,
  take,
  takeUntil,
  tap,
  timer,
  type Observable,
} from 'rxjs';
import type { EventStore } from '../event-store/event-store.js';
import { START, comparePositions, formatPosition, parsePosition, type Position } from '../event-store/position.js';
import type { Logger } from '../logging/logger.js';
import type { HeldLock, ProjectionLock } from './projection-lock.js';
import type { Projection, ProjectedEvent } from './projection.js';
import { toProjectedEvent } from './projected-event.js';
import type { ReadModelDatabase } from './read-models/database.js';

export interface ProjectionRunnerOptions {
  readonly store: EventStore;
  readonly db: Kysely<ReadModelDatabase>;
  readonly projection: Projection;
  readonly lock: ProjectionLock;
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
  /** How long to gather appends after a wake-up before reading them as one batch. */
  readonly coalesceMs?: number;
}

export class ProjectionTimeoutError extends AppError {
  override readonly name = 'ProjectionTimeoutError';
  readonly code = 'PROJECTION_TIMEOUT';
  readonly retryable = true;
  constructor(readonly projection: string, readonly target: Position, readonly reached: Position, timeoutMs: number) {
    super(`Projection "${projection}" did not reach ${formatPosition(target)} within ${timeoutMs} ms (at ${formatPosition(reached)})`);
  }
}

interface BatchResult {
  readonly lastPosition: Position;
  readonly isEnd: boolean;
}

/**
 * Keeps one projection up to date: the active runner reads `$all` from its checkpoint in batches
 * and writes each batch's read-model changes and the new checkpoint in one transaction; standby
 * runners (other processes) wait for the lock and follow the checkpoint so `waitFor` works
 * everywhere. Errors are logged with their stack and retried with backoff from the stored
 * checkpoint, so a crash at any point ends where a rebuild would.
 */
export class ProjectionRunner {
  readonly name: string;
  private readonly position = new BehaviorSubject<Position>(START);
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly standbyRetryMs: number;
  private subscription: Subscription | undefined;
  private lock: HeldLock | undefined;
  private dirty = true;
  private readonly stopped = new BehaviorSubject(false);
  // Bumped by every start and stop: a lock that arrives for an earlier run is let go at once.
  private run = 0;
  private readonly idleCheckpointMs: number;
  private readonly coalesceMs: number;
  /** Scanned past (only events of other projections) but not yet written to the checkpoint row. */
  private unsaved: Position | undefined;
  private savedAt = 0;

  constructor(private readonly options: ProjectionRunnerOptions) {
    this.name = options.projection.name;
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.standbyRetryMs = options.standbyRetryMs ?? 2000;
    this.idleCheckpointMs = options.idleCheckpointMs ?? 1000;
    this.coalesceMs = options.coalesceMs ?? 20;
  }

  /** The checkpoint this runner last saw committed. */
  get position$(): Observable<Position> {
    return this.position.asObservable();
  }

  get currentPosition(): Position {
    return this.position.value;
  }

  get isActive(): boolean {
    return this.lock !== undefined;
  }

  start(): void {
    if (this.subscription) return;
    this.run++;
    this.stopped.next(false);
    const wakeUps = this.options.store.appended.subscribe(() => (this.dirty = true));
    this.subscription = this.lifecycle().subscribe({
      error: (error: unknown) => this.options.log.error({ err: error, projection: this.name }, 'projection runner stopped'),
    });
    this.subscription.add(wakeUps);
  }

  async stop(): Promise<void> {
    this.run++;
    this.stopped.next(true);
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    await this.releaseLock();
  }

  /** Resolves once the read model includes everything up to `target` (read-your-writes). */
  async waitFor(target: Position, timeoutMs = 10_000): Promise<void> {
    if (comparePositions(this.position.value, target) >= 0) return;
    this.dirty = true;
    const reached = this.position.pipe(filter((position) => comparePositions(position, target) >= 0), take(1));
    const expired = timer(timeoutMs).pipe(map(() => 'timeout' as const));
    const outcome = await firstValueFrom(race(reached, expired));
    if (outcome === 'timeout') throw new ProjectionTimeoutError(this.name, target, this.position.value, timeoutMs);
  }

  /** Runs until the head visible now is projected, then resolves (rebuilds, tests, benchmarks). */
  async catchUpOnce(): Promise<void> {
    let after = await this.loadCheckpoint();
    for (;;) {
      const result = await this.processBatch(after);
      after = result.lastPosition;
      if (result.isEnd) break;
    }
    await this.saveCheckpoint();
  }

  private lifecycle(): Observable<unknown> {
    const stop$ = this.stopped.pipe(filter(Boolean));
    // Standby: try for the lock; meanwhile follow the active runner's checkpoint.
    const run = this.run;
    const acquire$ = defer(async () => {
      const lock = await this.options.lock.tryAcquire(this.name);
      // A stop while the connection was being made unsubscribed whoever waited for this lock:
      // kept, it would stay held by an idle connection and no other runner or rebuild could run.
      if (lock && run !== this.run) {
        await lock.release();
        return undefined;
      }
      return lock;
    }).pipe(
      tap((lock) => {
        if (!lock) void this.loadCheckpoint().catch(() => undefined);
      }),
      repeat({ delay: this.standbyRetryMs }),
      filter((lock): lock is HeldLock => lock !== undefined),
      take(1),
    );
    return acquire$.pipe(
      switchMap((lock) => {
        this.lock = lock;
        this.options.log.info({ projection: this.name }, 'projection runner active');
        const lost$ = from(lock.lost).pipe(
          tap(() => {
            this.options.log.warn({ projection: this.name }, 'projection lock lost; going back to standby');
            this.lock = undefined;
          }),
        );
        return this.processLoop().pipe(takeUntil(lost$));
      }),
      // After losing the lock, start over as a standby.
      repeat({ delay: this.standbyRetryMs }),
      retry({
        // A committed batch proves the runner healthy again: back off from scratch next time.
        resetOnSuccess: true,
        delay: (error: unknown, attempt) => {
          this.options.log.error({ err: error, projection: this.name, attempt }, 'projection batch failed; retrying from the checkpoint');
          void this.releaseLock();
          return timer(Math.min(30_000, 50 * 2 ** Math.min(attempt, 10)));
        },
      }),
      takeUntil(stop$),
    );
  }

  private processLoop(): Observable<BatchResult> {
    const step = (after: Position): Observable<BatchResult> => defer(() => this.processBatch(after));
    return defer(() => this.loadCheckpoint()).pipe(
      switchMap((start) => step(start)),
      expand((result) => (result.isEnd ? this.nextWake().pipe(switchMap(() => step(result.lastPosition))) : step(result.lastPosition))),
    );
  }

  private nextWake(): Observable<unknown> {
    // A short pause after a wake-up lets a burst of appends (many users clicking at once) land in
    // one batch: one read and one transaction instead of one per event.
    if (this.dirty) return timer(this.coalesceMs);
    return race(
      this.options.store.appended.pipe(take(1), switchMap(() => timer(this.coalesceMs))),
      timer(this.pollIntervalMs),
      this.stopped.pipe(filter(Boolean), switchMap(() => EMPTY)),
    );
  }

  private async processBatch(after: Position): Promise<BatchResult> {
    this.dirty = false;
    const projection = this.options.projection;
    const batch = await this.options.store.readAll({ after, maxCount: this.batchSize, eventTypes: projection.eventTypes });
    if (comparePositions(batch.lastPosition, after) <= 0) {
      if (this.unsaved && performance.now() - this.savedAt >= this.idleCheckpointMs) await this.saveCheckpoint();
      return { lastPosition: after, isEnd: true };
    }
    if (batch.events.length === 0) {
      // Nothing of ours in the range: a transaction per wizard click would only move the checkpoint.
      // Move on in memory (waitFor sees it at once) and write the row at most once per interval; a
      // crash before that re-reads events this projection ignores anyway.
      this.unsaved = batch.lastPosition;
      this.advance(batch.lastPosition);
      if (performance.now() - this.savedAt >= this.idleCheckpointMs) await this.saveCheckpoint();
      return { lastPosition: batch.lastPosition, isEnd: batch.isEnd };
    }
    const started = performance.now();
    const stored = await this.options.db.transaction().execute(async (trx) => {
      // The row lock serialises any two runners; the position filter makes a redelivered batch a no-op.
      const row = await trx
        .selectFrom('projection_checkpoints')
        .select('position')
        .where('name', '=', projection.name)
        .forUpdate()
        .executeTakeFirst();
      const checkpoint = row ? parsePosition(row.position) : START;
      if (comparePositions(batch.lastPosition, checkpoint) <= 0) return checkpoint;
      const fresh: ProjectedEvent[] = [];
      for (const recorded of batch.events) {
        if (comparePositions(recorded.position, checkpoint) <= 0) continue;
        const projected = toProjectedEvent(recorded);
        if (projected) fresh.push(projected);
      }
      if (fresh.length > 0) await projection.apply(trx, fresh);
      const lastGlobal = batch.events.at(-1)?.globalPosition ?? batch.lastPosition.prepare;
      await trx
        .insertInto('projection_checkpoints')
        .values({
          name: projection.name,
          position: formatPosition(batch.lastPosition),
          global_position: lastGlobal.toString(),
          events_applied: fresh.length,
        })
        .onConflict((conflict) =>
          conflict.column('name').doUpdateSet({
            position: formatPosition(batch.lastPosition),
            global_position: lastGlobal.toString(),
            events_applied: sql`projection_checkpoints.events_applied + ${fresh.length}`,
            updated_at: sql`now()`,
          }),
        )
        .execute();
      return batch.lastPosition;
    });
    if (this.unsaved && comparePositions(stored, this.unsaved) >= 0) this.unsaved = undefined;
    this.savedAt = performance.now();
    this.advance(stored);
    this.options.log.debug(
      { projection: projection.name, events: batch.events.length, ms: Math.round(performance.now() - started) },
      'projection batch committed',
    );
    return { lastPosition: stored, isEnd: batch.isEnd };
  }

  /** Writes the position scanned past without a batch of our own, never moving the row backwards. */
  private async saveCheckpoint(): Promise<void> {
    const target = this.unsaved;
    if (!target) return;
    await this.options.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('projection_checkpoints').select('position').where('name', '=', this.name).forUpdate().executeTakeFirst();
      if (row && comparePositions(parsePosition(row.position), target) >= 0) return;
      await trx
        .insertInto('projection_checkpoints')
        .values({ name: this.name, position: formatPosition(target), global_position: target.prepare.toString(), events_applied: 0 })
        .onConflict((conflict) =>
          conflict.column('name').doUpdateSet({ position: formatPosition(target), global_position: target.prepare.toString(), updated_at: sql`now()` }),
        )
        .execute();
    });
    if (this.unsaved === target) this.unsaved = undefined;
    this.savedAt = performance.now();
  }

  private async loadCheckpoint(): Promise<Position> {
    const row = await this.options.db
      .selectFrom('projection_checkpoints')
      .select('position')
      .where('name', '=', this.name)
      .executeTakeFirst();
    const position = row ? parsePosition(row.position) : START;
    this.advance(position);
    return position;
  }

  private advance(position: Position): void {
    if (comparePositions(position, this.position.value) > 0) this.position.next(position);
  }

  private async releaseLock(): Promise<void> {
    const lock = this.lock;
    this.lock = undefined;
    await lock?.release();
  }
}
