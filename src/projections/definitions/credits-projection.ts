import { sql, type Insertable } from 'kysely';
import { creditChangeOf } from '../../domain/user/credit-change.js';
import type { CreditLedgerTable } from '../../database/schema.js';
import type { Projection } from '../projection.js';
import { userIdOf } from '../projected-event.js';

type Column = 'granted' | 'revoked' | 'spent' | 'refunded';
const columnOf = {
  grant: 'granted',
  revoke: 'revoked',
  spend: 'spent',
  refund: 'refunded',
} as const;

interface BalanceChange {
  delta: number;
  granted: number;
  revoked: number;
  spent: number;
  refunded: number;
  updatedAt: Date;
}

/**
 * `credit_balances` and `credit_ledger` (known to analysts as credit_logs): one ledger row per
 * credit event, with the balance after it, so a user's statement reads straight from one table.
 */
export const creditsProjection: Projection = {
  name: 'credits',
  tables: ['credit_balances', 'credit_ledger'],
  eventTypes: ['CreditsGranted', 'CreditsRevoked', 'CreditsSpent', 'CreditsRefunded'],
  async apply(trx, events) {
    // Two statements per batch, whatever it holds: the balances move by each user's sum, and each
    // ledger row's balance is worked back from the user's new balance by the deltas after it.
    const ledger: (Insertable<CreditLedgerTable> & { user_id: number; delta: number })[] = [];
    const changes = new Map<number, BalanceChange>();
    for (const { event, recorded, at, actor } of events) {
      const userId = userIdOf(recorded);
      if (userId === undefined) continue;
      const change = creditChangeOf(event);
      if (!change) continue;
      const { kind, delta, operationId, generationId } = change;
      const sums = changes.get(userId) ?? {
        delta: 0,
        granted: 0,
        revoked: 0,
        spent: 0,
        refunded: 0,
        updatedAt: at,
      };
      const column: Column = columnOf[kind];
      sums.delta += delta;
      sums[column] += Math.abs(delta);
      sums.updatedAt = at;
      changes.set(userId, sums);
      ledger.push({
        event_id: recorded.id,
        user_id: userId,
        global_position: recorded.globalPosition.toString(),
        kind,
        delta,
        balance_after: 0,
        reason: change.reason,
        actor_kind: actor.kind,
        actor_id: actor.id,
        generation_id: generationId,
        operation_id: operationId,
        created_at: at,
      });
    }
    if (ledger.length === 0) return;
    const balances = await trx
      .insertInto('credit_balances')
      .values(
        [...changes].map(([userId, sums]) => ({
          user_id: userId,
          balance: sums.delta,
          granted: sums.granted,
          revoked: sums.revoked,
          spent: sums.spent,
          refunded: sums.refunded,
          updated_at: sums.updatedAt,
        })),
      )
      .onConflict((conflict) =>
        conflict.column('user_id').doUpdateSet({
          balance: sql`credit_balances.balance + excluded.balance`,
          granted: sql`credit_balances.granted + excluded.granted`,
          revoked: sql`credit_balances.revoked + excluded.revoked`,
          spent: sql`credit_balances.spent + excluded.spent`,
          refunded: sql`credit_balances.refunded + excluded.refunded`,
          updated_at: sql`excluded.updated_at`,
        }),
      )
      .returning(['user_id', 'balance'])
      .execute();
    const after = new Map(balances.map((row) => [Number(row.user_id), row.balance]));
    for (let index = ledger.length - 1; index >= 0; index -= 1) {
      const row = ledger[index]!;
      const balance = after.get(row.user_id) ?? 0;
      row.balance_after = balance;
      after.set(row.user_id, balance - row.delta);
    }
    await trx.insertInto('credit_ledger').values(ledger).execute();
  },
};
