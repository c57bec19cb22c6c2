import { CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import { pino } from 'pino';
import type { EventStore } from '../../src/ports/event-store/event-store.js';
import { START, formatPosition, type Position } from '../../src/ports/event-store/position.js';
import type { Projection } from '../../src/projections/projection.js';
import type { ReadModelDatabase } from '../../src/database/schema.js';
import { benchEventTypes } from './event-payload.js';
import {
  aggregateByStream,
  aggregatedParams,
  upsertAggregatedSql,
  upsertOneEventSql,
} from './read-model.js';
import type { CatchUpMode } from './subject.js';

export interface OursCatchUpRun {
  /**
   * `projection-runner`: the service's ProjectionRunner.catchUpOnce; `bench-loop`: the fallback
   * below.
   */
  readonly machinery: 'projection-runner' | 'bench-loop';
  readonly events: number;
  readonly transactions: number | null;
  /** Why the fallback ran, when it did. */
  readonly note?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The projection the runner drives: the shared read-model SQL, per event or once per batch. */
function benchProjection(mode: CatchUpMode): Projection {
  return {
    name: `bench-stream-counters-${mode}`,
    tables: [],
    eventTypes: [...benchEventTypes],
    async apply(trx, events) {
      if (mode === 'per-event') {
        for (const { recorded } of events) {
          await trx.executeQuery(
            CompiledQuery.raw(upsertOneEventSql, [
              recorded.streamName,
              recorded.type,
              recorded.globalPosition.toString(),
            ]),
          );
        }
        return;
      }
      const deltas = aggregateByStream(events.map(({ recorded }) => recorded));
      await trx.executeQuery(CompiledQuery.raw(upsertAggregatedSql, aggregatedParams(deltas)));
    },
  };
}

/**
 * Catch-up with the service's own machinery (src/projections/projection-runner.ts): read `$all`
 * in batches, validate each event against the catalog, apply, and write read model + checkpoint
 * in one transaction per batch. `catchUpOnce` stops at the head visible now; a long transaction
 * elsewhere on the server can hide the tail for a moment, so it is called again until everything
 * preloaded has been applied.
 */
export async function catchUpWithRunner(options: {
  store: EventStore;
  pool: pg.Pool;
  mode: CatchUpMode;
  batchSize: number;
  expectedEvents: number;
}): Promise<OursCatchUpRun> {
  const [{ ProjectionRunner }, { InProcessLock }, { migrateReadModels }] = await Promise.all([
    import('../../src/projections/projection-runner.js'),
    import('../../src/consumers/consumer-lock.js'),
    import('../../src/database/migrations/migrate.js'),
  ]);
  // Kysely on the caller's pool; destroying it would end that pool, so it is left to the caller.
  const db = new Kysely<ReadModelDatabase>({
    dialect: new PostgresDialect({ pool: options.pool }),
  });
  await migrateReadModels(db as Kysely<unknown>);
  const projection = benchProjection(options.mode);
  await options.pool.query('DELETE FROM projection_checkpoints WHERE name = $1', [projection.name]);
  const runner = new ProjectionRunner({
    store: options.store,
    db,
    projection,
    lock: new InProcessLock(),
    log: pino({ level: 'silent' }),
    batchSize: options.batchSize,
  });
  const applied = async (): Promise<number> => {
    const { rows } = await options.pool.query<{ events_applied: string }>(
      'SELECT events_applied::text AS events_applied FROM projection_checkpoints WHERE name = $1',
      [projection.name],
    );
    return Number(rows[0]?.events_applied ?? 0);
  };
  let events = 0;
  for (let round = 0; round < 1000; round += 1) {
    await runner.catchUpOnce();
    events = await applied();
    if (events >= options.expectedEvents) break;
    await sleep(20);
  }
  return {
    machinery: 'projection-runner',
    events,
    transactions: Math.ceil(events / options.batchSize),
  };
}

/**
 * Fallback when src/projections cannot be loaded: the same loop the runner implements, written
 * here on top of the port's `readAll({ after, maxCount })`, with one transaction per batch that
 * upserts the read model and compare-and-sets a checkpoint row.
 */
export async function catchUpWithBenchLoop(options: {
  store: EventStore;
  pool: pg.Pool;
  mode: CatchUpMode;
  batchSize: number;
  expectedEvents: number;
  note: string;
}): Promise<OursCatchUpRun> {
  const name = `bench-loop-${options.mode}`;
  await options.pool.query(
    `CREATE TABLE IF NOT EXISTS bench_checkpoints (name text PRIMARY KEY, position text NOT NULL)`,
  );
  await options.pool.query(
    `INSERT INTO bench_checkpoints (name, position) VALUES ($1, 'start')
     ON CONFLICT (name) DO UPDATE SET position = 'start'`,
    [name],
  );
  let after: Position = START;
  let events = 0;
  let transactions = 0;
  while (events < options.expectedEvents) {
    const batch = await options.store.readAll({ after, maxCount: options.batchSize });
    if (batch.events.length === 0) {
      after = batch.lastPosition;
      if (batch.isEnd) await sleep(20);
      continue;
    }
    const client = await options.pool.connect();
    try {
      await client.query('BEGIN');
      if (options.mode === 'per-event') {
        for (const event of batch.events) {
          await client.query(upsertOneEventSql, [
            event.streamName,
            event.type,
            event.globalPosition.toString(),
          ]);
        }
      } else {
        await client.query(upsertAggregatedSql, aggregatedParams(aggregateByStream(batch.events)));
      }
      const moved = await client.query(
        'UPDATE bench_checkpoints SET position = $3 WHERE name = $1 AND position = $2',
        [name, formatPosition(after), formatPosition(batch.lastPosition)],
      );
      if (moved.rowCount !== 1) throw new Error(`checkpoint ${name} moved under the bench loop`);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    after = batch.lastPosition;
    events += batch.events.length;
    transactions += 1;
  }
  return { machinery: 'bench-loop', events, transactions, note: options.note };
}
