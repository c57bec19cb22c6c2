import type { SQL } from '@event-driven-io/dumbo';
import type { Event, ReadEvent } from '@event-driven-io/emmett';
import {
  getPostgreSQLEventStore,
  postgreSQLEventStoreConsumer,
  postgreSQLRawSQLProjection,
  type PostgresEventStore,
  type PostgresReadEventMetadata,
} from '@event-driven-io/emmett-postgresql';
import pg from 'pg';
import { benchEventTypes, type BenchEvent } from './event-payload.js';
import {
  createReadModelSql,
  readModelTotalsSql,
  truncateReadModelSql,
  upsertOneEventSql,
} from './read-model.js';
import {
  deliveryGaps,
  type BenchSubject,
  type CatchUpMode,
  type CatchUpResult,
  type DeliveryCheck,
} from './subject.js';

type EmmettBenchEvent = Event<string, Record<string, unknown>, Record<string, unknown>>;

/**
 * Emmett 0.42's PostgreSQL event store with its defaults, except for the pool: it gets a
 * node-postgres pool of `maxConnections` (its own default pool holds 10), like ours.
 * Versions are Emmett's: 1-based stream versions, 0n meaning "the stream must not exist yet".
 */
export class EmmettSubject implements BenchSubject {
  readonly name = 'emmett';

  private constructor(
    private readonly connectionString: string,
    private readonly store: PostgresEventStore,
    private readonly pool: pg.Pool,
  ) {}

  static async open(connectionString: string, maxConnections: number): Promise<EmmettSubject> {
    const pool = new pg.Pool({
      connectionString,
      max: maxConnections,
      application_name: 'ugc-bench-emmett',
    });
    const store = getPostgreSQLEventStore(connectionString, { connectionOptions: { pool } });
    await store.schema.migrate();
    await pool.query(createReadModelSql);
    return new EmmettSubject(connectionString, store, pool);
  }

  async append(
    streamName: string,
    events: readonly BenchEvent[],
    expected: bigint | undefined,
  ): Promise<bigint> {
    const result = await this.store.appendToStream<EmmettBenchEvent>(
      streamName,
      events.map((event) => ({ type: event.type, data: event.data, metadata: event.metadata })),
      // 0n is exact in Emmett: it INSERTs the stream row, and a second creator hits the primary
      // key.
      { expectedStreamVersion: expected ?? 0n },
    );
    return result.nextExpectedStreamVersion;
  }

  /**
   * Emmett's async projection machinery: `postgreSQLEventStoreConsumer` pulling `batchSize`
   * messages, a projector over a raw-SQL projection. Emmett runs each pulled batch in one
   * transaction and, inside it, the projection and a checkpoint compare-and-set per message.
   * `pullingFrequencyInMs: 0`: its default (50 ms) sleeps between full batches, which would cap
   * it at `batchSize / 0.05` events/s and measure the sleep, not the store.
   */
  async catchUp(options: {
    mode: CatchUpMode;
    batchSize: number;
    expectedEvents: number;
  }): Promise<CatchUpResult> {
    if (options.mode !== 'per-event')
      throw new Error('Emmett processors hand over one message at a time');
    await this.pool.query(truncateReadModelSql);
    const projection = postgreSQLRawSQLProjection<EmmettBenchEvent>({
      name: 'bench_stream_counters',
      canHandle: [...benchEventTypes],
      evolve: (event) => {
        const { streamName, globalPosition } = (
          event as ReadEvent<EmmettBenchEvent, PostgresReadEventMetadata>
        ).metadata;
        // Emmett runs SQL text with values inlined as literals (dumbo's %L); same statement as
        // ours.
        return inlineLiterals(upsertOneEventSql, [
          streamName,
          event.type,
          globalPosition.toString(),
        ]);
      },
    });
    const consumer = postgreSQLEventStoreConsumer({
      connectionString: this.connectionString,
      pulling: { batchSize: options.batchSize, pullingFrequencyInMs: 0 },
    });
    let handled = 0;
    consumer.projector<EmmettBenchEvent>({
      projection,
      processorId: `bench-catch-up-${Date.now()}`,
      // Stop after exactly the preloaded events rather than at the first empty read, which a
      // long transaction elsewhere on the server could cause early.
      stopAfter: () => ++handled >= options.expectedEvents,
    });
    const started = performance.now();
    try {
      await consumer.start();
    } finally {
      await consumer.close();
    }
    const elapsedMs = performance.now() - started;
    const totals = await this.readModelTotals();
    return {
      mode: options.mode,
      batchSize: options.batchSize,
      events: handled,
      elapsedMs,
      readModelEvents: totals.events,
      readModelStreams: totals.streams,
      transactions: Math.ceil(handled / options.batchSize),
      machinery: 'consumer-projector',
    };
  }

  /**
   * Emmett's consumer with a counting reactor, from the start until its puller finds nothing
   * left: the events an Emmett subscriber would actually see.
   */
  async deliveryCheck(batchSize: number): Promise<DeliveryCheck> {
    const consumer = postgreSQLEventStoreConsumer({
      connectionString: this.connectionString,
      pulling: { batchSize, pullingFrequencyInMs: 0 },
      stopWhen: { noMessagesLeft: true },
    });
    let delivered = 0;
    const positions = new Set<bigint>();
    consumer.reactor<EmmettBenchEvent>({
      processorId: `bench-delivery-check-${Date.now()}`,
      eachMessage: async (message) => {
        delivered += 1;
        positions.add(message.metadata.globalPosition);
      },
    });
    const started = performance.now();
    try {
      await consumer.start();
    } finally {
      await consumer.close();
    }
    const elapsedMs = performance.now() - started;
    const stored = await this.storedPositions();
    return { stored: stored.length, delivered, ...deliveryGaps(stored, positions), elapsedMs };
  }

  async reset(): Promise<void> {
    await this.store.schema.dangerous.truncate({ resetSequences: true });
    await this.pool.query(truncateReadModelSql);
  }

  /** On the partitioned parents; PostgreSQL recurses into the partitions. */
  async vacuum(): Promise<void> {
    await this.pool.query('VACUUM ANALYZE emt_messages');
    await this.pool.query('VACUUM ANALYZE emt_streams');
  }

  async storageBytes(): Promise<number> {
    const { rows } = await this.pool.query<{ bytes: string }>(
      `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::text AS bytes
         FROM pg_class c
        WHERE c.relkind = 'r' AND (c.relname LIKE 'emt\\_messages%' OR c.relname LIKE 'emt\\_streams%')`,
    );
    return Number(rows[0]?.bytes ?? 0);
  }

  async close(): Promise<void> {
    await this.store.close();
    await this.pool.end();
  }

  private async storedPositions(): Promise<bigint[]> {
    const { rows } = await this.pool.query<{ p: string }>(
      'SELECT global_position::text AS p FROM emt_messages',
    );
    return rows.map((row) => BigInt(row.p));
  }

  private async readModelTotals(): Promise<{ events: number; streams: number }> {
    const { rows } = await this.pool.query<{ events: string; streams: string }>(readModelTotalsSql);
    return { events: Number(rows[0]?.events ?? 0), streams: Number(rows[0]?.streams ?? 0) };
  }
}

/** `$1`, `$2`… replaced by quoted literals, the way dumbo's `sql('%L', …)` formats them. */
function inlineLiterals(text: string, values: readonly string[]): SQL {
  return text.replace(/\$(\d+)/g, (_, index: string) =>
    pg.escapeLiteral(values[Number(index) - 1]!),
  ) as SQL;
}
