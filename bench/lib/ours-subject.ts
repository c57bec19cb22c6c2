import { randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  openPostgresEventStore,
  postgresEventStoreClient,
} from '../../src/adapters/event-store/postgres/postgres-event-store.js';
import type { SqlEventStore } from '../../src/adapters/event-store/sql/sql-event-store.js';
import type { BenchEvent } from './event-payload.js';
import { RawInsertSubject } from './raw-insert-subject.js';
import { catchUpWithBenchLoop, catchUpWithRunner, type OursCatchUpRun } from './ours-catch-up.js';
import { createReadModelSql, readModelTotalsSql, truncateReadModelSql } from './read-model.js';
import {
  deliveryGaps,
  type BenchSubject,
  type CatchUpMode,
  type CatchUpResult,
  type DeliveryCheck,
} from './subject.js';

/**
 * Our PostgreSQL event store through its port, exactly as the service opens it (pool of
 * `maxConnections`, LISTEN/NOTIFY on). A second small pool holds the read-model transactions.
 * `rawInsert` is the baseline on the store's own pool.
 */
export class OursSubject implements BenchSubject {
  readonly name = 'ours';
  /** Set once the projection runner failed to load, so later catch-ups say why they fell back. */
  private runnerUnavailable: string | undefined;

  private constructor(
    private readonly store: SqlEventStore,
    private readonly pool: pg.Pool,
    readonly rawInsert: RawInsertSubject,
  ) {}

  static async open(connectionString: string, maxConnections: number): Promise<OursSubject> {
    const sql = postgresEventStoreClient({ connectionString, maxConnections });
    const store = await openPostgresEventStore({ connectionString, maxConnections }, sql);
    const rawInsert = await RawInsertSubject.open(sql);
    const pool = new pg.Pool({
      connectionString,
      max: 4,
      application_name: 'ugc-bench-read-model',
    });
    await pool.query(createReadModelSql);
    return new OursSubject(store, pool, rawInsert);
  }

  async append(
    streamName: string,
    events: readonly BenchEvent[],
    expected: bigint | undefined,
  ): Promise<bigint> {
    const result = await this.store.appendToStream(
      streamName,
      events.map((event) => ({
        id: randomUUID(),
        type: event.type,
        data: event.data,
        metadata: event.metadata,
      })),
      { expectedState: expected ?? 'no_stream' },
    );
    return result.nextExpectedRevision;
  }

  async catchUp(options: {
    mode: CatchUpMode;
    batchSize: number;
    expectedEvents: number;
  }): Promise<CatchUpResult> {
    await this.pool.query(truncateReadModelSql);
    const started = performance.now();
    let run: OursCatchUpRun;
    if (this.runnerUnavailable === undefined) {
      try {
        run = await catchUpWithRunner({ store: this.store, pool: this.pool, ...options });
      } catch (error) {
        if (!isModuleLoadError(error)) throw error;
        this.runnerUnavailable = `src/projections unavailable (${(error as Error).message.split('\n')[0]}); bench loop used`;
        return this.catchUp(options);
      }
    } else {
      run = await catchUpWithBenchLoop({
        store: this.store,
        pool: this.pool,
        ...options,
        note: this.runnerUnavailable,
      });
    }
    const elapsedMs = performance.now() - started;
    const totals = await this.readModelTotals();
    return {
      mode: options.mode,
      batchSize: options.batchSize,
      events: run.events,
      elapsedMs,
      readModelEvents: totals.events,
      readModelStreams: totals.streams,
      transactions: run.transactions,
      machinery: run.machinery,
      ...(run.note ? { note: run.note } : {}),
    };
  }

  /** Our subscription machinery (`subscribeToAll`) from the start to its `caught-up` signal. */
  async deliveryCheck(batchSize: number): Promise<DeliveryCheck> {
    const started = performance.now();
    let delivered = 0;
    const positions = new Set<bigint>();
    await new Promise<void>((resolve, reject) => {
      const subscription = this.store.subscribeToAll({ batchSize }).subscribe({
        next: (item) => {
          if (item.kind === 'events') {
            delivered += item.events.length;
            for (const event of item.events) positions.add(event.globalPosition);
          } else {
            subscription.unsubscribe();
            resolve();
          }
        },
        error: reject,
      });
    });
    const elapsedMs = performance.now() - started;
    const stored = await this.storedPositions();
    return { stored: stored.length, delivered, ...deliveryGaps(stored, positions), elapsedMs };
  }

  /**
   * TRUNCATE leaves the tables' statistics "unknown", as on a fresh database. No VACUUM ANALYZE
   * here: statistics that say "empty" make es_append's cached generic plans scan es_events
   * sequentially for the event-id probe (see the report's findings), and with autovacuum off
   * nothing would replan them.
   */
  async reset(): Promise<void> {
    await this.pool.query('TRUNCATE es_events RESTART IDENTITY');
    await this.pool.query(truncateReadModelSql);
    await this.rawInsert.reset();
  }

  async vacuum(): Promise<void> {
    await this.pool.query('VACUUM ANALYZE es_events');
  }

  /** The store's table and its indexes, for the report. */
  async storageBytes(): Promise<number> {
    const { rows } = await this.pool.query<{ bytes: string }>(
      `SELECT pg_total_relation_size('es_events')::text AS bytes`,
    );
    return Number(rows[0]?.bytes ?? 0);
  }

  async close(): Promise<void> {
    await this.store.close();
    await this.pool.end();
  }

  private async storedPositions(): Promise<bigint[]> {
    const { rows } = await this.pool.query<{ p: string }>(
      'SELECT global_position::text AS p FROM es_events',
    );
    return rows.map((row) => BigInt(row.p));
  }

  private async readModelTotals(): Promise<{ events: number; streams: number }> {
    const { rows } = await this.pool.query<{ events: string; streams: string }>(readModelTotalsSql);
    return { events: Number(rows[0]?.events ?? 0), streams: Number(rows[0]?.streams ?? 0) };
  }
}

function isModuleLoadError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    code === 'ERR_MODULE_NOT_FOUND' ||
    code === 'ERR_PACKAGE_PATH_NOT_EXPORTED' ||
    error instanceof SyntaxError
  );
}
