import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START } from '../ports/event-store/position.js';
import { openPgWorld, silentLogger, type PgWorld } from '../testing/pg-world.js';
import { skipWithoutPostgres } from '../testing/postgres.js';
import { seedActivity, settledHead } from '../testing/seed-activity.js';
import { ProjectionSet } from './projection-set.js';

const skip = await skipWithoutPostgres('daily stats (PostgreSQL)');

describe.skipIf(skip)('daily stats, batched per day (PostgreSQL)', () => {
  let world: PgWorld;

  beforeAll(async () => {
    world = await openPgWorld();
    await seedActivity(world.store, { users: 30, seed: 11 });
    await settledHead(world.store);
    // Small batches and large ones must agree: both are checked against counts from the log.
    await new ProjectionSet({
      store: world.store,
      readModels: world.readModels,
      log: silentLogger,
      batchSize: 7,
    }).catchUpOnce();
  }, 240_000);

  afterAll(async () => {
    await world?.close();
  });

  it('counts active users and credits per day exactly as the events say', async () => {
    const counted = await sql<{ day: string; users: number }>`
      SELECT to_char(day, 'YYYY-MM-DD') AS day, count(*)::int AS users FROM daily_stats_active_users GROUP BY day`.execute(
      world.readModels.db,
    );
    const rows = await world.readModels.db
      .selectFrom('daily_stats')
      .select([
        sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'),
        'active_users',
        'credits_granted',
      ])
      .execute();
    expect(rows.length).toBeGreaterThan(1);
    const byDay = new Map(rows.map((row) => [row.day, row]));
    for (const { day, users } of counted.rows)
      expect(Number(byDay.get(day)?.active_users), day).toBe(users);

    // Credits granted per UTC day, straight from the event log.
    const granted = new Map<string, number>();
    for (let after = START, end = false; !end;) {
      const batch = await world.store.readAll({
        after,
        eventTypes: ['CreditsGranted'],
        maxCount: 1000,
      });
      after = batch.lastPosition;
      end = batch.isEnd;
      for (const event of batch.events) {
        const at =
          typeof event.metadata.timestamp === 'string'
            ? event.metadata.timestamp
            : event.createdAt.toISOString();
        const day = at.slice(0, 10);
        granted.set(
          day,
          (granted.get(day) ?? 0) + Number((event.data as { amount: number }).amount),
        );
      }
    }
    expect(granted.size).toBeGreaterThan(0);
    for (const [day, amount] of granted)
      expect(Number(byDay.get(day)?.credits_granted), day).toBe(amount);
  });
});
