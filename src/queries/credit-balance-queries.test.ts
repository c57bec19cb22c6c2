import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCreditBalance } from './credit-balance-queries.js';
import { openQueryWorld, type QueryWorld } from '../testing/queries/query-world.js';

describe('credit balance queries', () => {
  let world: QueryWorld;
  beforeAll(async () => {
    world = await openQueryWorld();
    await world.db
      .insertInto('credit_balances')
      .values({
        user_id: '501',
        balance: 4,
        granted: 6,
        spent: 3,
        refunded: 1,
        revoked: 0,
        updated_at: '2026-03-01T09:00:00Z',
      })
      .execute();
  });
  afterAll(() => world?.close());

  it("reads a user's balance and its totals", async () => {
    expect(await findCreditBalance(world.db, 501)).toMatchObject({
      user_id: '501',
      balance: 4,
      granted: 6,
      spent: 3,
      refunded: 1,
      revoked: 0,
    });
  });

  it('has no row for a user without credit events', async () => {
    expect(await findCreditBalance(world.db, 502)).toBeUndefined();
  });
});
