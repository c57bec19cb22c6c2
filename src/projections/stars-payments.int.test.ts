import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPGliteEventStore } from '../adapters/event-store/pglite/pglite-event-store.js';
import type { SqlEventStore } from '../adapters/event-store/sql/sql-event-store.js';
import { UserCommands } from '../commands/user-commands.js';
import type { Actor } from '../domain/events/metadata.js';
import type { UserCommand } from '../domain/user/commands.js';
import { ProjectionSet } from './projection-set.js';
import { openReadModels, type ReadModels } from '../database/open-read-models.js';

// Given a purchase and its refund in the event log, when the projections catch up, then the
// ledger, the payments table and the day's Stars figures say what the events say.
describe('Stars payments in the read models', () => {
  let store: SqlEventStore;
  let readModels: ReadModels;
  const user = 4242;
  const clock = { now: new Date('2026-03-01T10:00:00Z') };

  beforeAll(async () => {
    const opened = await openPGliteEventStore({ pollIntervalMs: 20 });
    store = opened.store;
    readModels = await openReadModels({ kind: 'pglite', client: opened.sql });
    const users = new UserCommands({ store, now: () => clock.now });
    let n = 0;
    const run = async (command: UserCommand, actor: Actor = { kind: 'user', id: String(user) }) => {
      const outcome = await users.execute(user, command, { commandId: `c${(n += 1)}`, actor });
      if (!outcome.ok) throw new Error(outcome.rejection.message);
    };
    await run({
      type: 'RegisterUser',
      telegramId: user,
      username: null,
      firstName: 'Ann',
      language: 'en',
      welcomeCredits: 2,
      grantId: 'w',
    });
    await run({ type: 'IssueStarsInvoice', orderId: 'o1', packId: '10', credits: 10, stars: 50 });
    await run({
      type: 'ReceiveStarsPayment',
      chargeId: 'ch1',
      orderId: 'o1',
      currency: 'XTR',
      totalAmount: 50,
    });
    await run({ type: 'IssueStarsInvoice', orderId: 'o2', packId: '50', credits: 50, stars: 200 });
    await run({
      type: 'ReceiveStarsPayment',
      chargeId: 'ch2',
      orderId: 'o2',
      currency: 'XTR',
      totalAmount: 200,
    });
    await run({ type: 'SpendCredits', amount: 55, reason: 'generation', spendId: 's1' });
    clock.now = new Date('2026-03-02T09:00:00Z');
    await run(
      { type: 'RefundStarsPayment', chargeId: 'ch2', refundedBy: { kind: 'admin', adminId: 7 } },
      { kind: 'admin', id: '7' },
    );
    await new ProjectionSet({ store, readModels, log: pino({ level: 'silent' }) }).catchUpOnce();
  }, 60_000);

  afterAll(async () => {
    await readModels?.close();
    await store?.close();
  });

  it('lists each payment with its refund', async () => {
    const rows = await readModels.db
      .selectFrom('stars_payments')
      .selectAll()
      .orderBy('paid_at')
      .execute();
    expect(
      rows.map((row) => [
        row.charge_id,
        Number(row.user_id),
        row.order_id,
        row.credits,
        row.stars,
        row.refunded_by,
        row.refund_admin_id === null ? null : Number(row.refund_admin_id),
        row.credits_taken_back,
      ]),
    ).toEqual([
      ['ch1', user, 'o1', 10, 50, null, null, null],
      ['ch2', user, 'o2', 50, 200, 'admin', 7, 7],
    ]);
  });

  it('puts purchases and the refund in the credit ledger, the balance never below zero', async () => {
    const ledger = await readModels.db
      .selectFrom('credit_ledger')
      .select(['kind', 'delta', 'balance_after', 'reason', 'operation_id'])
      .orderBy('global_position')
      .execute();
    expect(ledger).toEqual([
      { kind: 'grant', delta: 2, balance_after: 2, reason: 'welcome', operation_id: 'w' },
      {
        kind: 'grant',
        delta: 10,
        balance_after: 12,
        reason: 'stars_purchase',
        operation_id: 'stars:ch1',
      },
      {
        kind: 'grant',
        delta: 50,
        balance_after: 62,
        reason: 'stars_purchase',
        operation_id: 'stars:ch2',
      },
      { kind: 'spend', delta: -55, balance_after: 7, reason: 'generation', operation_id: 's1' },
      {
        kind: 'revoke',
        delta: -7,
        balance_after: 0,
        reason: 'stars_refund',
        operation_id: 'stars-refund:ch2',
      },
    ]);
  });

  it('counts Stars revenue and credits sold on the day paid, refunds on the day refunded', async () => {
    const days = await readModels.db
      .selectFrom('daily_stats')
      .select([
        sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'),
        'stars_payments',
        'stars_revenue',
        'credits_sold',
        'stars_refunds',
        'stars_refunded',
      ])
      .orderBy('day')
      .execute();
    expect(days).toEqual([
      {
        day: '2026-03-01',
        stars_payments: 2,
        stars_revenue: 250,
        credits_sold: 60,
        stars_refunds: 0,
        stars_refunded: 0,
      },
      {
        day: '2026-03-02',
        stars_payments: 0,
        stars_revenue: 0,
        credits_sold: 0,
        stars_refunds: 1,
        stars_refunded: 200,
      },
    ]);
  });
});
