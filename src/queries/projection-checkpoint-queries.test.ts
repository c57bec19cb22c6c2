import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsAppliedBy, storedCheckpoints } from './projection-checkpoint-queries.js';
import { openQueryWorld, type QueryWorld } from '../testing/queries/query-world.js';

describe('projection checkpoint queries', () => {
  let world: QueryWorld;
  beforeAll(async () => {
    world = await openQueryWorld();
    await world.db
      .insertInto('projection_checkpoints')
      .values([
        {
          name: 'users',
          position: '00000000000000000012/00000000000000000012',
          global_position: 12,
          events_applied: 7,
        },
        {
          name: 'credits',
          position: '00000000000000000009/00000000000000000009',
          global_position: 9,
          events_applied: 4,
        },
      ])
      .execute();
  });
  afterAll(() => world?.close());

  it('reads every stored checkpoint with its position as stored', async () => {
    const rows = await storedCheckpoints(world.db);
    expect([...rows].sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'credits', position: '00000000000000000009/00000000000000000009' },
      { name: 'users', position: '00000000000000000012/00000000000000000012' },
    ]);
  });

  it("counts a projection's applied events, 0 without a checkpoint", async () => {
    expect(await eventsAppliedBy(world.db, 'users')).toBe(7);
    expect(await eventsAppliedBy(world.db, 'daily_stats')).toBe(0);
  });
});
