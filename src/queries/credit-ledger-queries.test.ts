import type { Insertable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreditLedgerTable } from '../database/schema.js';
import { creditLedgerPage, recentCreditOperations } from './credit-ledger-queries.js';
import { openQueryWorld, type QueryWorld } from '../testing/queries/query-world.js';

/** Ledger rows are keyed by their event's uuid; the position makes it readable here. */
const eventId = (position: number) =>
  `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`;

const entry = (
  position: number,
  userId: string,
  kind: CreditLedgerTable['kind'],
  delta: number,
): Insertable<CreditLedgerTable> => ({
  event_id: eventId(position),
  user_id: userId,
  global_position: position,
  kind,
  delta,
  balance_after: 0,
  reason: `reason ${position}`,
  actor_kind: 'user',
  actor_id: userId,
  generation_id: null,
  operation_id: `op-${position}`,
  created_at: new Date(Date.UTC(2026, 2, 1, 9, 0, position)),
});

describe('credit ledger queries', () => {
  let world: QueryWorld;
  beforeAll(async () => {
    world = await openQueryWorld();
    await world.db
      .insertInto('credit_ledger')
      .values([
        entry(3, '501', 'grant', 5),
        entry(5, '501', 'spend', -1),
        entry(6, '502', 'grant', 9),
        entry(9, '501', 'refund', 1),
        entry(12, '501', 'spend', -1),
      ])
      .execute();
  });
  afterAll(() => world?.close());

  it("lists a user's latest operations newest first, up to the limit, and no one else's", async () => {
    const operations = await recentCreditOperations(world.db, 501, 3);
    expect(operations.map((op) => [op.kind, op.delta, op.reason])).toEqual([
      ['spend', -1, 'reason 12'],
      ['refund', 1, 'reason 9'],
      ['spend', -1, 'reason 5'],
    ]);
    expect(operations[0]!.created_at).toEqual(new Date(Date.UTC(2026, 2, 1, 9, 0, 12)));
  });

  it('pages the ledger in event-log order, naming where the next page starts', async () => {
    const first = await creditLedgerPage(world.db, 501, { limit: 2 });
    expect(first.entries.map((row) => row.event_id)).toEqual([eventId(3), eventId(5)]);
    expect(first.nextAfter).toBe('5');
    const second = await creditLedgerPage(world.db, 501, { after: first.nextAfter!, limit: 2 });
    expect(second.entries.map((row) => row.event_id)).toEqual([eventId(9), eventId(12)]);
    expect(second.nextAfter).toBeNull();
  });

  it('has an empty last page for a user without credit events', async () => {
    expect(await creditLedgerPage(world.db, 999, { limit: 10 })).toEqual({
      entries: [],
      nextAfter: null,
    });
  });
});
