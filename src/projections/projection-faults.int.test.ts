import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore } from '../ports/event-store/event-store.js';
import { START } from '../ports/event-store/position.js';
import { openPgWorld, silentLogger, type PgWorld } from '../testing/pg-world.js';
import { createTestDatabase, skipWithoutPostgres, type TestDatabase } from '../testing/postgres.js';
import { prng, seedActivity, settledHead } from '../testing/seed-activity.js';
import { snapshotTables } from '../testing/table-snapshot.js';
import { allProjections } from './definitions/all-projections.js';
import type { Projection } from './projection.js';
import { ProjectionSet, rebuildProjection } from './projection-set.js';
import { openReadModels, type ReadModels } from '../database/open-read-models.js';

const skip = await skipWithoutPostgres('projection faults (PostgreSQL)');
const projectedTables = allProjections.flatMap((projection) => projection.tables);

class InjectedFault extends Error {}

/** Applies part of a batch, then fails, at seeded random points: a crash mid-batch. */
function faulty(projection: Projection, random: () => number, failureRate: number): Projection {
  return {
    ...projection,
    async apply(trx, events) {
      if (random() < failureRate) {
        const cut = Math.floor(random() * events.length);
        await projection.apply(trx, events.slice(0, cut));
        throw new InjectedFault(
          `${projection.name}: fault after ${cut} of ${events.length} events`,
        );
      }
      await projection.apply(trx, events);
    },
  };
}

describe.skipIf(skip)('projections survive faults (PostgreSQL)', () => {
  let world: PgWorld;
  let rebuiltDatabase: TestDatabase;
  let rebuilt: ReadModels;

  beforeAll(async () => {
    world = await openPgWorld();
    await seedActivity(world.store, { users: 24, seed: 7 });
    await settledHead(world.store);
    rebuiltDatabase = await createTestDatabase();
    rebuilt = await openReadModels({ kind: 'postgres', url: rebuiltDatabase.url });
    for (const projection of allProjections) {
      await rebuildProjection({
        store: world.store,
        readModels: rebuilt,
        log: silentLogger,
        projection,
      });
    }
  }, 240_000);

  afterAll(async () => {
    await rebuilt?.close();
    await rebuiltDatabase?.drop();
    await world?.close();
  });

  it('throwing mid-batch and killing connections at random points ends identical to a rebuild from zero', async () => {
    const random = prng(42);
    const set = new ProjectionSet({
      store: world.store,
      readModels: world.readModels,
      log: silentLogger,
      projections: allProjections.map((projection) => faulty(projection, random, 0.35)),
      batchSize: 17,
      pollIntervalMs: 50,
    });
    const killer = new pg.Client({ connectionString: world.database.url });
    await killer.connect();
    let kills = 0;
    // Kills land at random moments (about every 0.4 s) until 12 rounds have hit, so the runners
    // get killed mid-batch many times yet can still finish.
    let rounds = 0;
    const killing = setInterval(() => {
      if (rounds >= 12 || random() < 0.9) return;
      rounds += 1;
      // Terminates the runners' read-model connections, wherever they are in a transaction.
      void killer
        .query(
          `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = 'ugc-read-models' AND datname = current_database() AND pid <> pg_backend_pid()`,
        )
        .then((result) => (kills += result.rows[0]?.n ?? 0))
        .catch(() => undefined);
    }, 40);
    set.start();
    try {
      await set.waitFor(await settledHead(world.store), { timeoutMs: 120_000 });
    } finally {
      clearInterval(killing);
      await set.stop();
      await killer.end();
    }
    expect(kills).toBeGreaterThan(0);
    expect(await snapshotTables(world.readModels.db, projectedTables)).toEqual(
      await snapshotTables(rebuilt.db, projectedTables),
    );
    const counts = await snapshotTables(world.readModels.db, [
      'generation_history',
      'credit_ledger',
      'daily_stats',
    ]);
    expect(counts.generation_history!.length).toBeGreaterThan(10);
    expect(counts.credit_ledger!.length).toBeGreaterThan(30);
  }, 240_000);

  it('re-delivering batches that are already checkpointed changes nothing', async () => {
    await new ProjectionSet({
      store: world.store,
      readModels: world.readModels,
      log: silentLogger,
    }).catchUpOnce();
    const before = await snapshotTables(world.readModels.db, [
      ...projectedTables,
      'projection_checkpoints',
    ]);
    // A store that "forgets" the checkpoint and hands everything over again from the start.
    const replaying: EventStore = Object.create(world.store, {
      readAll: {
        value: (options: Parameters<EventStore['readAll']>[0]) =>
          world.store.readAll({ ...options, after: START }),
      },
    });
    const set = new ProjectionSet({
      store: replaying,
      readModels: world.readModels,
      log: silentLogger,
      batchSize: 1000,
    });
    for (const runner of set.runners) {
      // One redelivered batch per projection: everything in it is at or below the checkpoint.
      await (
        runner as unknown as { processBatch(after: typeof START): Promise<unknown> }
      ).processBatch(START);
    }
    const after = await snapshotTables(world.readModels.db, [
      ...projectedTables,
      'projection_checkpoints',
    ]);
    expect(after).toEqual(before);
  });

  it('a rebuild truncates and replays to the same tables', async () => {
    for (const projection of allProjections) {
      await rebuildProjection({
        store: world.store,
        readModels: world.readModels,
        log: silentLogger,
        projection,
      });
    }
    expect(await snapshotTables(world.readModels.db, projectedTables)).toEqual(
      await snapshotTables(rebuilt.db, projectedTables),
    );
  });
});
