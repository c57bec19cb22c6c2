import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dailyStatsBetween, dailyStatsOn } from './daily-stats-queries.js';
import { openQueryWorld, type QueryWorld } from '../testing/queries/query-world.js';

describe('daily stats queries', () => {
  let world: QueryWorld;
  beforeAll(async () => {
    world = await openQueryWorld();
    await world.db
      .insertInto('daily_stats')
      .values([
        { day: '2026-03-03', new_users: 3 },
        { day: '2026-03-01', new_users: 1 },
        { day: '2026-03-05', new_users: 5 },
      ])
      .execute();
  });
  afterAll(() => world?.close());

  it('reads the days of a range, both ends included, in day order, as YYYY-MM-DD', async () => {
    const rows = await dailyStatsBetween(world.db, '2026-03-01', '2026-03-03');
    expect(rows.map((row) => [row.day, row.new_users])).toEqual([
      ['2026-03-01', 1],
      ['2026-03-03', 3],
    ]);
    expect(rows[0]).toMatchObject({
      generations_requested: 0,
      stars_revenue: 0,
      stage_timings: {},
    });
  });

  it('reads the named days that have a row', async () => {
    const rows = await dailyStatsOn(world.db, ['2026-03-05', '2026-03-04']);
    expect(rows.map((row) => row.day)).toEqual(['2026-03-05']);
    expect(await dailyStatsOn(world.db, [])).toEqual([]);
  });
});
