import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openQueryWorld, type QueryWorld } from '../testing/queries/query-world.js';
import { findUser } from './user-queries.js';

describe('user queries', () => {
  let world: QueryWorld;
  beforeAll(async () => {
    world = await openQueryWorld();
    await world.db
      .insertInto('users')
      .values({
        telegram_id: '501',
        username: 'ann',
        first_name: 'Ann',
        language: 'en',
        registered_at: '2026-03-01T09:00:00Z',
        last_activity_at: '2026-03-02T10:00:00Z',
        generations_requested: 3,
      })
      .execute();
  });
  afterAll(() => world?.close());

  it('finds a registered user by Telegram id', async () => {
    expect(await findUser(world.db, 501)).toEqual({
      telegram_id: '501',
      username: 'ann',
      first_name: 'Ann',
      language: 'en',
      registered_at: new Date('2026-03-01T09:00:00Z'),
      last_activity_at: new Date('2026-03-02T10:00:00Z'),
      generations_requested: 3,
    });
  });

  it('finds nothing for someone who never registered', async () => {
    expect(await findUser(world.db, 502)).toBeUndefined();
  });
});
