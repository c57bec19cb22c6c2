import type { Kysely } from 'kysely';
import {
  BehaviorSubject,
  EMPTY,
  Subject,
  Subscription,
  defer,
  expand,
  filter,
  from,
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
import { concernsReader, type EventStore } from '../ports/event-store/event-store.js';
import { START, comparePositions, type Position } from '../ports/event-store/position.js';
import type { Logger } from '../logging/logger.js';
import type { ReadModelDatabase } from '../database/schema.js';
import { backoffDelayMs, type BackoffPolicy } from '../resilience/backoff.js';
import { loadCheckpoint, saveCheckpoint } from './checkpoints.js';
import type { HeldLock, ConsumerLock } from './consumer-lock.js';
import type { ConsumerProcessor } from './consumer-processor.js';
import { sharedReadsOf } from './shared-reads.js';

export interface CheckpointedConsumerOptions {
  readonly store: EventStore;
  readonly db: Kysely<ReadModelDatabase>;
  readonly lock: ConsumerLock;
  readonly log: Logger;
  readonly processor: ConsumerProcessor;
  readonly batchSize?: number;
  /** Look for new events this often even without a wake-up. */
  readonly pollIntervalMs?: number;
  /** How often a standby consumer tries to become the active one. */
  readonly standbyRetryMs?: number;
  /**
   * How long a checkpoint may stay unwritten while the consumer only scans past events it does not
   * handle (most events are wizard steps no processor cares about).
   */
  readonly idleCheckpointMs?: number;
  /**
   * How long to gather appends before reading them as one batch while nobody waits for this
   * consumer (default 200 ms): the lag of its read models behind the log under load, and what
   * keeps a burst of clicks at a few reads and transactions a second instead of one per click.
   */
  readonly lagMs?: number;
  /** How long to gather appends before reading them when someone waits (`wake`); default 20 ms. */
  readonly coalesceMs?: number;
  /**
   * The wait before retrying from the checkpoint after a failed batch (default 100 ms doubling to
   * 30 s).
   */
  readonly retry?: BackoffPolicy;
}

export interface BatchResult {
  readonly lastPosition: Position;
  readonly isEnd: boolean;
}

/**
 * One checkpointed consumer of `$all`: the active instance (one per name across processes, by the
 * lock) reads from its checkpoint in batches of its processor's event types, woken by appends and
 * polling, and hands each batch to the processor, which stores the checkpoint with its effects.
 * Standby instances wait for the lock and follow the stored checkpoint. A failed batch is logged
 * and retried with backoff from the stored checkpoint, so a crash anywhere ends where an
 * uninterrupted run would.
 */
export class CheckpointedConsumer {
  readonly name: string;
  private readonly position = new BehaviorSubject<Position>(START);
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly standbyRetryMs: number;
  private readonly idleCheckpointMs: number;
  private readonly lagMs: number;
  private readonly coalesceMs: number;
  private readonly retryPolicy: BackoffPolicy;
  private subscription: Subscription | undefined;
  private lock: HeldLock | undefined;
  private dirty = true;
  private readonly stopped = new BehaviorSubject(false);
  // Bumped by every start and stop: a lock that arrives for an earlier run is let go at once.
  private run = 0;
  /**
   * Scanned past (only events the processor does not take) but not yet written to the checkpoint
   * row.
   */
  private unsaved: Position | undefined;
  private savedAt = 0;
  /** Someone waits for this consumer to reach a position… */
  private readonly awaited = new Subject<void>();
  /** …and has since the last read began (a wait that came during a batch ends the next pause). */
  private waitedFor = false;
  private inFlight: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: CheckpointedConsumerOptions) {
    this.name = options.processor.name;
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.standbyRetryMs = options.standbyRetryMs ?? 2000;
    this.idleCheckpointMs = options.idleCheckpointMs ?? 1000;
    this.lagMs = options.lagMs ?? 200;
    this.coalesceMs = options.coalesceMs ?? 20;
    this.retryPolicy = options.retry ?? { baseMs: 100, maxMs: 30_000, jitter: 'none' };
  }

  /** The checkpoint this instance last saw committed. */
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
    const wakeUps = this.appends().subscribe(() => (this.dirty = true));
    this.subscription = this.lifecycle().subscribe({
      error: (error: unknown) =>
        this.options.log.error({ err: error, consumer: this.name }, 'consumer stopped'),
    });
    this.subscription.add(wakeUps);
  }

  /**
   * Stops reading and lets the lock go at once (synchronously, as far as the lock allows: a halted
   * process's successor must not wait for it), then waits for the batch in hand, so nothing of this
   * instance writes after the promise resolves, and writes a checkpoint held back while idle.
   */
  async stop(): Promise<void> {
    this.run++;
    this.stopped.next(true);
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    const released = this.releaseLock();
    await this.inFlight.catch(() => undefined);
    await this.saveUnsaved().catch((error: unknown) =>
      this.options.log.warn({ err: error, consumer: this.name }, 'checkpoint not written at stop'),
    );
    await released;
  }

  /** Runs until the head visible now is handled, then resolves (rebuilds, tests, benchmarks). */
  async catchUpOnce(): Promise<void> {
    let after = await this.loadCheckpoint();
    for (;;) {
      const result = await this.processBatch(after);
      after = result.lastPosition;
      if (result.isEnd) break;
    }
    await this.saveUnsaved();
  }

  /** Makes the next wait end at once: someone expects new events. */
  protected wake(): void {
    this.dirty = true;
    this.waitedFor = true;
    this.awaited.next();
  }

  private lifecycle(): Observable<unknown> {
    const stop$ = this.stopped.pipe(filter(Boolean));
    // Standby: try for the lock; meanwhile follow the active instance's checkpoint.
    const run = this.run;
    const acquire$ = defer(async () => {
      const lock = await this.options.lock.tryAcquire(this.name);
      // A stop while the connection was being made unsubscribed whoever waited for this lock:
      // kept, it would stay held by an idle connection and no other instance or rebuild could run.
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
        this.options.log.info({ consumer: this.name }, 'consumer active');
        const lost$ = from(lock.lost).pipe(
          tap(() => {
            this.options.log.warn(
              { consumer: this.name },
              'consumer lock lost; going back to standby',
            );
            this.lock = undefined;
          }),
        );
        return this.processLoop().pipe(takeUntil(lost$));
      }),
      // After losing the lock, start over as a standby.
      repeat({ delay: this.standbyRetryMs }),
      retry({
        // A handled batch proves the consumer healthy again: back off from scratch next time.
        resetOnSuccess: true,
        delay: (error: unknown, attempt) => {
          this.options.log.error(
            { err: error, consumer: this.name, attempt },
            'consumer batch failed; retrying from the checkpoint',
          );
          void this.releaseLock();
          return timer(backoffDelayMs(attempt, this.retryPolicy));
        },
      }),
      takeUntil(stop$),
    );
  }

  private processLoop(): Observable<BatchResult> {
    const reads = sharedReadsOf(this.options.store);
    const step = (after: Position): Observable<BatchResult> =>
      defer(() => this.processBatch(after, reads));
    return defer(() => this.loadCheckpoint()).pipe(
      switchMap((start) => step(start)),
      expand((result) =>
        result.isEnd
          ? this.nextWake().pipe(switchMap(() => step(result.lastPosition)))
          : step(result.lastPosition),
      ),
    );
  }

  /** Append hints that may concern this consumer: other event types are no reason to read. */
  private appends(): Observable<unknown> {
    const types = this.options.processor.eventTypes;
    return this.options.store.appended.pipe(filter((hint) => concernsReader(hint, types)));
  }

  private nextWake(): Observable<unknown> {
    // A pause after a wake-up lets appends gather into one batch: one read and one transaction for
    // many users' clicks, and each busy user's row written once per batch instead of once per
    // click. The pause ends on a tick of a clock every consumer shares, so the consumers of this
    // process read together, which SharedReads turns into one read. Someone waiting for the read
    // model (`wake`) cuts a pause short, to the next tick of a faster clock.
    const soon = () => timer(untilSharedTick(this.coalesceMs));
    const pause = () =>
      this.waitedFor
        ? soon()
        : race(timer(untilSharedTick(this.lagMs)), this.awaited.pipe(take(1), switchMap(soon)));
    if (this.dirty) return pause();
    return race(
      this.appends().pipe(take(1), switchMap(pause)),
      this.awaited.pipe(take(1)),
      // The poll too ends on a shared tick, so idle consumers poll with one read.
      timer(untilSharedTick(this.pollIntervalMs)),
      this.stopped.pipe(
        filter(Boolean),
        switchMap(() => EMPTY),
      ),
    );
  }

  private processBatch(
    after: Position,
    reads: Pick<EventStore, 'readAll'> = this.options.store,
  ): Promise<BatchResult> {
    const work = this.readAndHandle(after, reads);
    this.inFlight = work;
    return work;
  }

  private async readAndHandle(
    after: Position,
    reads: Pick<EventStore, 'readAll'>,
  ): Promise<BatchResult> {
    this.dirty = false;
    this.waitedFor = false;
    const { processor } = this.options;
    const batch = await reads.readAll({
      after,
      maxCount: this.batchSize,
      ...(processor.eventTypes ? { eventTypes: processor.eventTypes } : {}),
      ...(processor.streamPrefixes ? { streamPrefixes: processor.streamPrefixes } : {}),
    });
    if (comparePositions(batch.lastPosition, after) <= 0) {
      if (this.unsaved && performance.now() - this.savedAt >= this.idleCheckpointMs)
        await this.saveUnsaved();
      return { lastPosition: after, isEnd: true };
    }
    if (batch.events.length === 0) {
      // Nothing for this processor in the range: a write per wizard click would only move the
      // checkpoint. Move on in memory and write the row at most once per interval; a crash before
      // that re-reads events the processor does not take anyway.
      this.unsaved = batch.lastPosition;
      this.advance(batch.lastPosition);
      if (performance.now() - this.savedAt >= this.idleCheckpointMs) await this.saveUnsaved();
      return { lastPosition: batch.lastPosition, isEnd: batch.isEnd };
    }
    const started = performance.now();
    const stored = await processor.handle({
      events: batch.events,
      lastPosition: batch.lastPosition,
    });
    if (this.unsaved && comparePositions(stored, this.unsaved) >= 0) this.unsaved = undefined;
    this.savedAt = performance.now();
    this.advance(stored);
    this.options.log.debug(
      {
        consumer: this.name,
        events: batch.events.length,
        ms: Math.round(performance.now() - started),
      },
      'consumer batch handled',
    );
    return { lastPosition: stored, isEnd: batch.isEnd };
  }

  /** Writes the position scanned past without a batch of the processor's own. */
  private async saveUnsaved(): Promise<void> {
    const target = this.unsaved;
    if (!target) return;
    await saveCheckpoint(this.options.db, {
      name: this.name,
      position: target,
      globalPosition: target.prepare,
      events: 0,
    });
    if (this.unsaved === target) this.unsaved = undefined;
    this.savedAt = performance.now();
  }

  private async loadCheckpoint(): Promise<Position> {
    const position = await loadCheckpoint(this.options.db, this.name);
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

/**
 * Milliseconds to the first multiple of `periodMs` on the wall clock that is at least half a
 * period away (0 for a period of 0): every consumer waiting out a pause of the same period wakes
 * on a tick the others wake on too.
 */
export function untilSharedTick(periodMs: number, now = Date.now()): number {
  if (periodMs <= 0) return 0;
  const next = Math.ceil((now + periodMs / 2) / periodMs) * periodMs;
  return next - now;
}
