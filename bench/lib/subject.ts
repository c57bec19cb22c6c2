import type { BenchEvent } from './event-payload.js';

export type SubjectName = 'ours' | 'emmett';

/** Who an append cell runs on: a store, or the raw-INSERT baseline inside our store's process. */
export type AppendTarget = SubjectName | 'raw';

/** Appends with an exact expected version; returns the version to expect next time. */
export interface AppendSubject {
  append(
    streamName: string,
    events: readonly BenchEvent[],
    expected: bigint | undefined,
  ): Promise<bigint>;
}

/**
 * How a catch-up applies events to the read model; both write it and the checkpoint in one
 * transaction per batch.
 */
export type CatchUpMode =
  /** One upsert statement per event: the work Emmett's projector does, so the fair comparison. */
  | 'per-event'
  /**
   * One multi-row upsert per batch, aggregated in memory (ours only: Emmett's processor hands over
   * one event at a time).
   */
  | 'set-based';

export interface CatchUpResult {
  readonly mode: CatchUpMode;
  readonly batchSize: number;
  /** Events the consumer handed to the read model. */
  readonly events: number;
  readonly elapsedMs: number;
  /** Read-back of the read model: the sum of the per-stream counters and the number of rows. */
  readonly readModelEvents: number;
  readonly readModelStreams: number;
  /** Transactions that wrote read model + checkpoint (one per non-empty batch). */
  readonly transactions: number | null;
  /**
   * What drove it: ours `projection-runner` (or the `bench-loop` fallback), Emmett's
   * `consumer-projector`.
   */
  readonly machinery: 'projection-runner' | 'bench-loop' | 'consumer-projector';
  readonly note?: string;
}

/**
 * A delivery check: read all of `$all` as the subscriber machinery would, without writing anything.
 */
export interface DeliveryCheck {
  readonly stored: number;
  readonly delivered: number;
  /**
   * Stored events never delivered although a later event (in global position) was: lost for good.
   */
  readonly skipped: number;
  /**
   * Stored events after the last delivered one: not visible yet (e.g. a long transaction), not
   * lost.
   */
  readonly notReached: number;
  readonly elapsedMs: number;
}

/** Compares what a subscriber delivered with the global positions stored. */
export function deliveryGaps(
  stored: readonly bigint[],
  delivered: ReadonlySet<bigint>,
): { skipped: number; notReached: number } {
  let highest = -1n;
  for (const position of delivered) if (position > highest) highest = position;
  let skipped = 0;
  let notReached = 0;
  for (const position of stored) {
    if (delivered.has(position)) continue;
    if (position < highest) skipped += 1;
    else notReached += 1;
  }
  return { skipped, notReached };
}

/**
 * One event store under test. Versions are opaque bigints in the store's own numbering (ours:
 * 0-based revision of the last event; Emmett: 1-based stream version); `undefined` means the
 * stream does not exist yet and the append must create it.
 */
export interface BenchSubject extends AppendSubject {
  readonly name: SubjectName;
  /** Reads every event from the start with the store's consumer machinery and projects it. */
  catchUp(options: {
    mode: CatchUpMode;
    batchSize: number;
    expectedEvents: number;
  }): Promise<CatchUpResult>;
  deliveryCheck(batchSize: number): Promise<DeliveryCheck>;
  /**
   * Empties the store (events, streams) and the bench read model, statistics left as on a fresh
   * database.
   */
  reset(): Promise<void>;
  /**
   * VACUUM ANALYZE of the store's tables: every catch-up starts from settled pages and statistics.
   */
  vacuum(): Promise<void>;
  /** Size of the store's tables and indexes. */
  storageBytes(): Promise<number>;
  close(): Promise<void>;
}
