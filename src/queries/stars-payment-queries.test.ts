import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { starsPaymentsOf } from './stars-payment-queries.js';
import { openQueryWorld, type QueryWorld } from '../testing/queries/query-world.js';

describe('Stars payment queries', () => {
  let world: QueryWorld;
  beforeAll(async () => {
    world = await openQueryWorld();
    const payment = (chargeId: string, userId: string, position: number) => ({
      charge_id: chargeId,
      user_id: userId,
      order_id: `order-${chargeId}`,
      pack_id: 'pack-10',
      credits: 10,
      stars: 100,
      paid_at: new Date(Date.UTC(2026, 2, 1, position)),
      global_position: position,
    });
    await world.db
      .insertInto('stars_payments')
      .values([
        payment('c-1', '501', 1),
        payment('c-2', '502', 2),
        {
          ...payment('c-3', '501', 3),
          refunded_at: '2026-03-02T00:00:00Z',
          refunded_by: 'admin',
          refund_admin_id: 42,
          credits_taken_back: 10,
        },
        payment('c-4', '501', 4),
      ])
      .execute();
  });
  afterAll(() => world?.close());

  it("lists a user's payments newest first, refunds included, up to the limit", async () => {
    const payments = await starsPaymentsOf(world.db, 501, 2);
    expect(payments.map((p) => p.charge_id)).toEqual(['c-4', 'c-3']);
    expect(payments[1]).toMatchObject({
      refunded_by: 'admin',
      refund_admin_id: '42',
      credits_taken_back: 10,
      refunded_at: new Date('2026-03-02T00:00:00Z'),
    });
    expect(payments[0]).toMatchObject({ refunded_at: null, refunded_by: null });
  });

  it('finds none for a user who never paid', async () => {
    expect(await starsPaymentsOf(world.db, 503, 10)).toEqual([]);
  });
});
