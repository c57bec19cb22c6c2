import { sql } from 'kysely';
import type { Projection } from '../projection.js';
import { userIdOf } from '../projected-event.js';

type CreditKind = 'grant' | 'revoke' | 'spend' | 'refund';

/**
 * `credit_balances` and `credit_ledger` (the seed's credit_logs): one ledger row per credit event,
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
      let kind: CreditKind;
      let delta: number;
      let operationId: string;
      let generationId: string | null = null;
      switch (event.type) {
        case 'CreditsGranted':
          [kind, delta, operationId] = ['grant', event.data.amount, event.data.grantId];
          break;
        case 'CreditsRevoked':
          [kind, delta, operationId] = ['revoke', -event.data.amount, event.data.revokeId];
          break;
        case 'CreditsSpent':
          [kind, delta, operationId, generationId] = ['spend', -event.data.amount, event.data.spendId, event.data.generationId];
          break;
        case 'CreditsRefunded':
          [kind, delta, operationId, generationId] = ['refund', event.data.amount, event.data.spendId, event.data.generationId];
          break;
        default:
          continue;
      }
      const column = { grant: 'granted', revoke: 'revoked', spend: 'spent', refund: 'refunded' }[kind];
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
          reason: event.data.reason,
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
