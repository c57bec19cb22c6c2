import type { Transaction } from 'kysely';
import type { AnyDomainEvent } from '../domain/events/catalog.js';
import type { Actor } from '../domain/events/metadata.js';
import type { RecordedEvent } from '../ports/event-store/event-store.js';
import type { ReadModelDatabase } from '../database/schema.js';

/**
 * A stored event as projections see it: validated domain payload plus where and when it happened.
 */
export interface ProjectedEvent {
  readonly event: AnyDomainEvent;
  readonly recorded: RecordedEvent;
  /**
   * Domain time from the metadata (falls back to the store's time), so rebuilds are deterministic.
   */
  readonly at: Date;
  readonly actor: Actor;
}

/**
 * A read model kept up to date from the event log. `apply` runs inside the runner's transaction,
 * together with the checkpoint write, so a batch's effect happens exactly once.
 */
export interface Projection {
  readonly name: string;
  /** Tables this projection owns; a rebuild truncates exactly these. */
  readonly tables: readonly (keyof ReadModelDatabase)[];
  /** The event types it reads; the rest are skipped by the store. */
  readonly eventTypes: readonly AnyDomainEvent['type'][];
  apply(trx: Transaction<ReadModelDatabase>, events: readonly ProjectedEvent[]): Promise<void>;
}
