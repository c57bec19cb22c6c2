import { sql } from 'kysely';
import { creditChangeOf } from '../../domain/user/credit-change.js';
import type { Projection } from '../projection.js';
import { userIdOf } from '../projected-event.js';

/**
 * `credit_balances` and `credit_ledger` (known to analysts as credit_logs): one ledger row per
 * credit event,
 * with the balance after it, so a user's statement reads straight from one table.
 */
export const creditsProjection: Projection = {
  name: 'credits',
  tables: ['credit_balances', 'credit_ledger'],
  eventTypes: ['CreditsGranted', 'CreditsRevoked', 'CreditsSpent', 'CreditsRefunded'],
  async apply(trx, events) {
    for (const { event, recorded, at, actor } of events) {
      const userId = userIdOf(recorded);
      if (userId === undefined) continue;
      const change = creditChangeOf(event);
      if (!change) continue;
      const { kind, delta, operationId, generationId } = change;
      const column = { grant: 'granted', revoke: 'revoked', spend: 'spent', refund: 'refunded' }[
        kind
      ];
      const { balance } = await trx
        .insertInto('credit_balances')
        .values({ user_id: userId, balance: delta, [column]: Math.abs(delta), updated_at: at })
        .onConflict((conflict) =>
          conflict.column('user_id').doUpdateSet({
            balance: sql`credit_balances.balance + ${delta}`,
            [column]: sql`credit_balances.${sql.ref(column)} + ${Math.abs(delta)}`,
            updated_at: at,
          }),
        )
        .returning('balance')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('credit_ledger')
        .values({
          event_id: recorded.id,
          user_id: userId,
          global_position: recorded.globalPosition.toString(),
          kind,
          delta,
          balance_after: balance,
          reason: change.reason,
          actor_kind: actor.kind,
          actor_id: actor.id,
          generation_id: generationId,
          operation_id: operationId,
          created_at: at,
        })
        .execute();
    }
  },
};
