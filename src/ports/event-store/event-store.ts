import type { Observable } from 'rxjs';
import type { Position } from './position.js';
import type { ExpectedState } from './stream-state.js';

export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** An event as the writer hands it over. `id` makes retries idempotent. */
export interface EventData {
  readonly id: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata?: JsonObject;
}

/** An event as stored: its stream revision (0-based) and its place in `$all`. */
export interface RecordedEvent {
  readonly id: string;
  readonly streamName: string;
  readonly revision: bigint;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
  readonly position: Position;
  /**
   * A human-facing number that grows along `$all`: PostgreSQL's global position (a sequence, with
   * gaps), EventStoreDB's prepare position (the event's byte offset in the log, far from dense).
   */
  readonly globalPosition: bigint;
  readonly createdAt: Date;
}

export interface AppendResult {
  /** The revision of the last event now in the stream; pass it as the next expected state. */
  readonly nextExpectedRevision: bigint;
  /** The `$all` position of the last appended event. */
  readonly position: Position;
  /** True when every event id was already stored by an identical earlier append. */
  readonly idempotent: boolean;
}

export interface AppendOptions {
  readonly expectedState?: ExpectedState;
}

export interface ReadStreamOptions {
  /** Inclusive, 0-based. */
  readonly fromRevision?: bigint;
  readonly maxCount?: number;
  readonly direction?: 'forwards' | 'backwards';
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. */
  readonly after?: Position;
  readonly maxCount?: number;
  /** Only events whose type is listed (the position still advances past the others). */
  readonly eventTypes?: readonly string[];
  /** Only events of streams starting with one of these prefixes, e.g. `user-`. */
  readonly streamPrefixes?: readonly string[];
}

export interface ReadAllBatch {
  readonly events: readonly RecordedEvent[];
  /**
   * How far the read got, even when filters dropped every event; a checkpoint may be stored here.
   * Equal to `after` when nothing new was visible.
   */
  readonly lastPosition: Position;
  /** True when the batch reached the head of what is visible now. */
  readonly isEnd: boolean;
}

export interface SubscribeOptions extends Omit<ReadAllOptions, 'maxCount'> {
  readonly batchSize?: number;
}

/**
 * A catch-up subscription item: a batch of events, or a tick telling the subscriber it has caught
 * up with the head (so it can report readiness and store its checkpoint).
 */
export type SubscriptionItem =
  | {
      readonly kind: 'events';
      readonly events: readonly RecordedEvent[];
      readonly lastPosition: Position;
    }
  | { readonly kind: 'caught-up'; readonly lastPosition: Position };

/**
 * The one port every part of the service writes and reads events through. Three implementations
 * honour it: PostgreSQL, PGlite and EventStoreDB; `event-store.contract.ts` proves it, and states
 * per store where their guarantees differ:
 *
 * - Event ids: PostgreSQL and PGlite refuse an id stored anywhere in the store unless the append is
 *   an identical retry (`DuplicateEventIdError`). EventStoreDB checks ids only against the stream's
 *   own events: another stream takes the same id as a new event, and a batch that starts with
 *   stored ids and goes on with new ones is refused as a `WrongExpectedVersionError`.
 * - `AppendResult.idempotent`: reported by PostgreSQL and PGlite; always false on EventStoreDB,
 *   whose server does not say whether a write was a retry.
 * - Late commits: on PostgreSQL an event may take its place in `$all` before an earlier one's
 *   transaction commits, and readers wait for it; EventStoreDB orders `$all` at commit, so an event
 *   is in `$all` once its append returns.
 * - Concurrency: PGlite runs one statement at a time (one connection); the others serve
 *   concurrent writers and check expected states atomically.
 */
/**
 * What an append hint knows. `eventTypes` lists (at least) every type appended since the last
 * hint; without it the hint says only that something was appended (an older instance, a server
 * that does not say), and every reader must look.
 */
export interface AppendedHint {
  readonly eventTypes?: readonly string[];
}

/** Whether a reader of these types (all types when undefined) should look after this hint. */
export function concernsReader(
  hint: AppendedHint,
  readerTypes: readonly string[] | undefined,
): boolean {
  if (!hint.eventTypes || !readerTypes?.length) return true;
  return hint.eventTypes.some((type) => readerTypes.includes(type));
}

export interface EventStore {
  readonly kind: 'postgres' | 'pglite' | 'eventstoredb';
  /**
   * Throws `WrongExpectedVersionError` or `DuplicateEventIdError`; an empty batch only checks
   * state.
   */
  appendToStream(
    streamName: string,
    events: readonly EventData[],
    options?: AppendOptions,
  ): Promise<AppendResult>;
  /** Returns `[]` for a stream that does not exist. */
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** One batch of `$all` in the global order, never skipping an event that commits late. */
  readAll(options?: ReadAllOptions): Promise<ReadAllBatch>;
  /**
   * Catch-up subscription from an exclusive position: replays history in batches, emits
   * `caught-up`, then tails live appends. Unsubscribing stops it.
   */
  subscribeToAll(options?: SubscribeOptions): Observable<SubscriptionItem>;
  /**
   * Hints that events were appended (here or, where the store can tell, by other processes). May
   * be late, coalesced or lost: readers must also poll. Lets a reader sleep instead of spinning,
   * and, where the hint names the types appended, sleep through appends it does not read.
   */
  readonly appended: Observable<AppendedHint>;
  /** The position of the last event visible now (`START` when empty). */
  headPosition(): Promise<Position>;
  close(): Promise<void>;
}
