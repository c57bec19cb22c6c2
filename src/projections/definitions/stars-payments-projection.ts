import type { Projection } from '../projection.js';
import { userIdOf } from '../projected-event.js';

/** `stars_payments`: each Telegram Stars payment, and its refund once there is one. */
export const starsPaymentsProjection: Projection = {
  name: 'stars_payments',
  tables: ['stars_payments'],
  eventTypes: ['StarsPaymentReceived', 'StarsPaymentRefunded'],
  async apply(trx, events) {
    for (const { event, recorded, at } of events) {
      const userId = userIdOf(recorded);
      if (userId === undefined) continue;
      if (event.type === 'StarsPaymentReceived') {
        await trx
          .insertInto('stars_payments')
          .values({
            charge_id: event.data.chargeId,
            user_id: userId,
            order_id: event.data.orderId,
            pack_id: event.data.packId,
            credits: event.data.credits,
            stars: event.data.stars,
            paid_at: at,
            global_position: recorded.globalPosition.toString(),
          })
          .onConflict((conflict) => conflict.column('charge_id').doNothing())
          .execute();
      } else if (event.type === 'StarsPaymentRefunded') {
        const by = event.data.refundedBy;
        await trx
          .updateTable('stars_payments')
          .set({
            refunded_at: at,
            refunded_by: by.kind,
            refund_admin_id: by.kind === 'admin' ? by.adminId : null,
            credits_taken_back: event.data.creditsTakenBack,
          })
          .where('charge_id', '=', event.data.chargeId)
          .execute();
      }
    }
  },
};
