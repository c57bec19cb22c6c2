import { randomUUID } from 'node:crypto';
import { Subject, type Observable } from 'rxjs';
import { catchUpObservable } from '../catch-up-subscription.js';
import {
  DuplicateEventIdError,
  EventStoreUnavailableError,
  WrongExpectedVersionError,
} from '../../../ports/event-store/errors.js';
import type {
  AppendedHint,
  AppendOptions,
  AppendResult,
  EventData,
  EventStore,
  JsonObject,
  ReadAllBatch,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  SubscriptionItem,
} from '../../../ports/event-store/event-store.js';
import { START, type Position } from '../../../ports/event-store/position.js';
import type { ActualState, ExpectedState } from '../../../ports/event-store/stream-state.js';
import { decodeAppendNotice, encodeAppendNotice } from './append-notice.js';
import { CoalescedNotifier } from './coalesced-notifier.js';
import { TurnBatch } from './turn-batch.js';
import { appendChannel, eventStoreSchemaSql } from './schema.js';
import type { SqlClient } from './sql-client.js';
import { TransactionIdsAheadError } from './transaction-ids-ahead-error.js';

export interface SqlEventStoreOptions {
  readonly kind: 'postgres' | 'pglite';
  /** Poll even without notifications; covers lost notifications and long transactions. */
  readonly pollIntervalMs?: number;
  /** Listen for other processes' appends (PostgreSQL); PGlite is one process, so it needs none. */
  readonly listen?: boolean;
  /** Least time between two notifications of appends to other processes (default 50 ms). */
  readonly notifyIntervalMs?: number;
}

interface AppendRow extends Record<string, unknown> {
  status: 'ok' | 'idempotent' | 'wrong_expected_version' | 'duplicate';
  actual_revision: string | null;
  next_revision: string | null;
  tx: string | null;
  last_position: string | null;
}

interface EventRow extends Record<string, unknown> {
  global_position: string;
  transaction_id: string;
  stream_name: string;
  revision: string;
  event_id: string;
  event_type: string;
  data: JsonObject | null;
  metadata: JsonObject | null;
  created_at: Date | string;
  matches?: boolean;
}

/** Above any stored revision: a backwards read without a start reads from the end. */
const MAX_REVISION = 2n ** 63n - 1n;

// Aliases shadow the columns in ORDER BY, so every ORDER BY names `e.<column>` (text sorts "100" <
// "99").
const eventColumns = `e.global_position::text AS global_position, e.transaction_id::text AS transaction_id,
  e.stream_name, e.revision::text AS revision, e.event_id::text AS event_id, e.event_type, e.data, e.metadata, e.created_at`;

/**
 * The event store on PostgreSQL or PGlite. Appends are one call to `es_append` (see schema.ts),
 * a second to `es_append_checked` only when an id in the batch is already stored;
 * `$all` is read in (xid, position) order up to the oldest running transaction.
 */
export class SqlEventStore implements EventStore {
  readonly kind: 'postgres' | 'pglite';
  private readonly localAppends = new Subject<AppendedHint>();
  private readonly notifier: CoalescedNotifier;
  private readonly streamReads = new TurnBatch<StreamRead, RecordedEvent[]>(
    ({ streamName, fromRevision }) => this.readStreamNow(streamName, { fromRevision }),
    (reads) => this.readStreams(reads),
  );
  private readonly appends = new TurnBatch<AppendParams, AppendRow | undefined>(
    (append) => this.appendOne(append),
    (appends) => this.appendMany(appends),
  );
  /** Sent with this store's notifications, so it can tell them from other processes'. */
  private readonly instanceId = randomUUID();
  private stopListening: (() => Promise<void>) | undefined;

  private constructor(
    private readonly sql: SqlClient,
    private readonly options: SqlEventStoreOptions,
  ) {
    this.kind = options.kind;
    // One autocommit statement is its own transaction, so the local setting covers just it: the
    // notification's commit need not wait for the disk (a lost one is covered by polling).
    this.notifier = new CoalescedNotifier(
      (eventTypes) =>
        this.sql.query(
          `SELECT set_config('synchronous_commit', 'off', true), pg_notify($1, $2)`,
          [appendChannel, encodeAppendNotice(this.instanceId, eventTypes)],
          {
            name: 'es_notify_appended',
          },
        ),
      options.notifyIntervalMs,
    );
  }

  static async open(sql: SqlClient, options: SqlEventStoreOptions): Promise<SqlEventStore> {
    await migrateEventStore(sql);
    await assertTransactionIdsBehindServer(sql);
    const store = new SqlEventStore(sql, options);
    if (options.listen) {
      // Its own notifications come back too; its appends already woke its subscribers locally.
      store.stopListening = await sql.listen(appendChannel, (payload) => {
        const { from, hint } = decodeAppendNotice(payload);
        if (from !== store.instanceId) store.localAppends.next(hint);
      });
    }
    return store;
  }

  get appended(): Observable<AppendedHint> {
    return this.localAppends.asObservable();
  }

  async appendToStream(
    streamName: string,
    events: readonly EventData[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    const expected: ExpectedState = options.expectedState ?? 'any';
    const payload = JSON.stringify(
      events.map((event) => ({
        id: event.id,
        type: event.type,
        data: event.data,
        metadata: event.metadata ?? {},
      })),
    );
    let row: AppendRow | undefined;
    try {
      row = await this.appends.run({
        streamName,
        expected: typeof expected === 'bigint' ? expected.toString() : expected,
        payload,
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        // Another stream took one of these ids between the check and the insert.
        throw new DuplicateEventIdError(streamName, events[0]?.id ?? '', { cause: error });
      }
      throw new EventStoreUnavailableError(`append to "${streamName}" failed`, { cause: error });
    }
    if (!row) throw new EventStoreUnavailableError(`append to "${streamName}" returned nothing`);
    const actual: ActualState =
      row.actual_revision === null ? 'no_stream' : BigInt(row.actual_revision);
    switch (row.status) {
      case 'wrong_expected_version':
        throw new WrongExpectedVersionError(streamName, expected, actual);
      case 'duplicate':
        throw new DuplicateEventIdError(streamName, events[0]?.id ?? '');
      case 'ok':
      case 'idempotent': {
        if (row.status === 'ok' && events.length > 0) this.signalAppended(events);
        const next = row.next_revision === null ? -1n : BigInt(row.next_revision);
        const position: Position =
          row.tx === null || row.last_position === null
            ? await this.headPosition()
            : { commit: BigInt(row.tx), prepare: BigInt(row.last_position) };
        return { nextExpectedRevision: next, position, idempotent: row.status === 'idempotent' };
      }
    }
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    if (options.direction !== 'backwards' && options.maxCount === undefined)
      return this.streamReads.run({ streamName, fromRevision: options.fromRevision ?? 0n });
    return this.readStreamNow(streamName, options);
  }

  private async readStreamNow(
    streamName: string,
    options: ReadStreamOptions,
  ): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    // One text per direction, bounds and limit as parameters (a NULL limit is no limit): the
    // statement is prepared once per connection, which every update's read of its stream repays.
    const from = options.fromRevision ?? (backwards ? MAX_REVISION : 0n);
    const limit = options.maxCount !== undefined ? Math.max(0, Math.floor(options.maxCount)) : null;
    const rows = await this.sql.query<EventRow>(
      `SELECT ${eventColumns} FROM es_events e
        WHERE e.stream_name = $1 AND e.revision ${backwards ? '<=' : '>='} $2::bigint
        ORDER BY e.revision ${backwards ? 'DESC' : 'ASC'} LIMIT $3::bigint`,
      [streamName, from.toString(), limit],
      { name: backwards ? 'es_read_stream_backwards' : 'es_read_stream' },
    );
    return rows.map(toRecordedEvent);
  }

  /** One append: the fast path, or the checked one when an id in the batch is already stored. */
  private async appendOne(append: AppendParams): Promise<AppendRow | undefined> {
    const params = [append.streamName, append.expected, append.payload];
    try {
      const [row] = await this.sql.query<AppendRow>(
        'SELECT * FROM es_append($1, $2, $3::jsonb)',
        params,
        { name: 'es_append' },
      );
      return row;
    } catch (error) {
      // An id already stored: a retry of an append that went through, or a real duplicate.
      if (!isUniqueViolation(error)) throw error;
      const [row] = await this.sql.query<AppendRow>(
        'SELECT * FROM es_append_checked($1, $2, $3::jsonb)',
        params,
      );
      return row;
    }
  }

  /**
   * Appends to several streams in one statement, so with one commit; each stream's append decides
   * as it would alone. The streams are locked in the order of their names, so two batches never
   * wait for each other in a circle. Any error undoes the statement whole, and every append is
   * then made alone, where each meets only its own outcome (an id stored already, a lost
   * connection).
   */
  private async appendMany(appends: readonly AppendParams[]): Promise<(AppendRow | undefined)[]> {
    const order = appends
      .map((_, index) => index)
      .sort((a, b) => compareText(appends[a]!.streamName, appends[b]!.streamName));
    const inOrder = order.map((index) => appends[index]!);
    let rows: (AppendRow & { request: number })[];
    try {
      rows = await this.sql.query<AppendRow & { request: number }>(
        `SELECT r.i::int AS request, a.*
           FROM unnest($1::text[], $2::text[], $3::jsonb[]) WITH ORDINALITY AS r(stream, expected, events, i)
           CROSS JOIN LATERAL es_append(r.stream, r.expected, r.events) AS a`,
        [
          inOrder.map((append) => append.streamName),
          inOrder.map((append) => append.expected),
          inOrder.map((append) => append.payload),
        ],
        { name: 'es_append_many' },
      );
    } catch {
      return Promise.all(appends.map((append) => this.appendOne(append)));
    }
    const results: (AppendRow | undefined)[] = appends.map(() => undefined);
    for (const { request, ...row } of rows) results[order[request - 1]!] = row;
    return results;
  }

  /** Several streams, each from its own revision to its end: one statement for all. */
  private async readStreams(reads: readonly StreamRead[]): Promise<RecordedEvent[][]> {
    const rows = await this.sql.query<EventRow & { request: number }>(
      `SELECT r.i::int AS request, ${eventColumns}
         FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS r(stream_name, from_revision, i)
         JOIN es_events e ON e.stream_name = r.stream_name AND e.revision >= r.from_revision
        ORDER BY r.i, e.revision`,
      [reads.map((read) => read.streamName), reads.map((read) => read.fromRevision.toString())],
      { name: 'es_read_streams' },
    );
    const results: RecordedEvent[][] = reads.map(() => []);
    for (const row of rows) results[row.request - 1]?.push(toRecordedEvent(row));
    return results;
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllBatch> {
    const after = options.after ?? START;
    const maxCount = Math.max(1, Math.floor(options.maxCount ?? 500));
    const filtered = Boolean(options.eventTypes?.length || options.streamPrefixes?.length);
    const params: unknown[] = [
      after.commit < 0n ? '0' : after.commit.toString(),
      after.prepare.toString(),
      maxCount,
    ];
    let matches = 'true';
    if (filtered) {
      const conditions: string[] = [];
      if (options.eventTypes?.length) {
        params.push(options.eventTypes);
        conditions.push(`e.event_type = ANY($${params.length}::text[])`);
      }
      if (options.streamPrefixes?.length) {
        params.push(options.streamPrefixes.map((prefix) => `${escapeLike(prefix)}%`));
        conditions.push(`e.stream_name LIKE ANY($${params.length}::text[])`);
      }
      matches = conditions.join(' AND ');
    }
    // Filtered-out rows still come back (without payload) so the position can move past them.
    const rows = await this.sql.query<EventRow>(
      `SELECT e.global_position::text AS global_position, e.transaction_id::text AS transaction_id,
              e.stream_name, e.revision::text AS revision, e.event_id::text AS event_id, e.event_type,
              CASE WHEN ${matches} THEN e.data END AS data,
              CASE WHEN ${matches} THEN e.metadata END AS metadata,
              e.created_at, (${matches}) AS matches
         FROM es_events e
        WHERE (e.transaction_id, e.global_position) > ($1::text::xid8, $2::bigint)
          AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY e.transaction_id, e.global_position
        LIMIT $3`,
      params,
      // The text depends only on which filters are given; each of those few shapes is prepared
      // once.
      {
        name: `es_read_all_${options.eventTypes?.length ? 't' : ''}${options.streamPrefixes?.length ? 'p' : ''}`,
      },
    );
    const last = rows.at(-1);
    return {
      events: rows.filter((row) => row.matches !== false).map(toRecordedEvent),
      lastPosition: last
        ? { commit: BigInt(last.transaction_id), prepare: BigInt(last.global_position) }
        : after,
      isEnd: rows.length < maxCount,
    };
  }

  subscribeToAll(options: SubscribeOptions = {}): Observable<SubscriptionItem> {
    return catchUpObservable(
      { readAll: (readOptions) => this.readAll(readOptions), wakeUps: this.appended },
      { ...options, pollIntervalMs: this.options.pollIntervalMs ?? 1000 },
    );
  }

  async headPosition(): Promise<Position> {
    const [row] = await this.sql.query<{ tx: string; pos: string }>(
      `SELECT e.transaction_id::text AS tx, e.global_position::text AS pos FROM es_events e
        WHERE e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY e.transaction_id DESC, e.global_position DESC LIMIT 1`,
      [],
      { name: 'es_head_position' },
    );
    return row ? { commit: BigInt(row.tx), prepare: BigInt(row.pos) } : START;
  }

  async close(): Promise<void> {
    await this.notifier.flush();
    await this.stopListening?.();
    this.localAppends.complete();
    await this.sql.close();
  }

  private signalAppended(events: readonly EventData[]): void {
    const eventTypes = [...new Set(events.map((event) => event.type))];
    this.localAppends.next({ eventTypes });
    if (this.options.listen) this.notifier.signal(eventTypes);
  }
}

/** Creates or upgrades the store's schema; safe to run from many processes at once. */
export async function migrateEventStore(sql: SqlClient): Promise<void> {
  await sql.transaction(async (trx) => {
    await trx.query(`SELECT pg_advisory_xact_lock(hashtextextended('ugc-event-store-schema', 0))`);
    await trx.query(eventStoreSchemaSql());
  });
}

/**
 * Every committed row this server wrote has a transaction id below its snapshot's xmax (the next
 * id to be handed out), so a visible row at or above it came from elsewhere: a restored dump.
 * One backwards step on the (transaction_id, global_position) index.
 */
async function assertTransactionIdsBehindServer(sql: SqlClient): Promise<void> {
  const [ahead] = await sql.query<{ stored: string; next: string }>(
    `SELECT e.transaction_id::text AS stored, pg_snapshot_xmax(pg_current_snapshot())::text AS next
       FROM es_events e
      WHERE e.transaction_id >= pg_snapshot_xmax(pg_current_snapshot())
      ORDER BY e.transaction_id DESC
      LIMIT 1`,
  );
  if (ahead) throw new TransactionIdsAheadError(BigInt(ahead.stored), BigInt(ahead.next));
}

/** One append as `es_append` takes it. */
interface AppendParams {
  readonly streamName: string;
  /** `any`, `no_stream`, `stream_exists` or a revision. */
  readonly expected: string;
  /** The events as a JSON array. */
  readonly payload: string;
}

/** A forward read of one stream from a revision to its end. */
interface StreamRead {
  readonly streamName: string;
  readonly fromRevision: bigint;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    streamName: row.stream_name,
    revision: BigInt(row.revision),
    type: row.event_type,
    data: row.data ?? {},
    metadata: row.metadata ?? {},
    position: { commit: BigInt(row.transaction_id), prepare: BigInt(row.global_position) },
    globalPosition: BigInt(row.global_position),
    createdAt: row.created_at instanceof Date ? row.created_at : new Date(row.created_at),
  };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

function isUniqueViolation(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505'
  );
}
