import type { RecordedEvent } from '../ports/event-store/event-store.js';
import type { Position } from '../ports/event-store/position.js';

/** A batch read from `$all`: the matching events and how far the read got past the others too. */
export interface ConsumedBatch {
  readonly events: readonly RecordedEvent[];
  readonly lastPosition: Position;
}

/**
 * What a checkpointed consumer does with its batches. Two kinds exist: a projector writes the
 * batch into read models and the checkpoint in one transaction; a reactor causes effects elsewhere
 * (the pipeline's intake starts generation streams) that are idempotent per event, then writes its
 * own rows and the checkpoint in one statement. Either way a batch handed over again — after a
 * crash, by a second instance — changes nothing.
 */
export interface ConsumerProcessor {
  /** Names the checkpoint row and the lock. */
  readonly name: string;
  /** Only these event types are handed over (the read still moves past the others). */
  readonly eventTypes?: readonly string[];
  /** Only events of streams starting with one of these prefixes. */
  readonly streamPrefixes?: readonly string[];
  /**
   * Handles a batch with at least one event and stores `batch.lastPosition` as the checkpoint
   * together with its effects (`checkpointUpsert`); returns the checkpoint now stored.
   */
  handle(batch: ConsumedBatch): Promise<Position>;
}
