import { afterAll, beforeAll, describe, it } from 'vitest';
import type { AnyDomainEvent } from '../../domain/events/catalog.js';
import { projectionSpec, userEvent } from '../../testing/projection-spec.js';
import { dailyStatsProjection } from './daily-stats-projection.js';
import { starsPaymentsProjection } from './stars-payments-projection.js';

const received = (chargeId: string, credits: number, stars: number): AnyDomainEvent => ({
  type: 'StarsPaymentReceived',
  data: {
    chargeId,
    orderId: `o-${chargeId}`,
    packId: String(credits),
    credits,
    stars,
    currency: 'XTR',
  },
});
const refunded = (
  chargeId: string,
  stars: number,
  creditsTakenBack: number,
  refundedBy: { kind: 'admin'; adminId: number } | { kind: 'telegram_support' },
): AnyDomainEvent => ({
  type: 'StarsPaymentRefunded',
  data: { chargeId, orderId: `o-${chargeId}`, stars, creditsTakenBack, refundedBy },
});

describe('stars_payments projection (PGlite)', () => {
  const spec = projectionSpec(starsPaymentsProjection);
  beforeAll(spec.open);
  afterAll(spec.close);

  it('a payment is a row; its refund fills in who refunded and what was taken back', () =>
    spec
      .given(
        userEvent(42, received('ch-1', 10, 50), { at: '2026-05-04T10:00:00.000Z' }),
        userEvent(42, received('ch-2', 50, 200)),
      )
      .when(
        userEvent(42, refunded('ch-1', 50, 7, { kind: 'admin', adminId: 9 }), {
          actor: { kind: 'admin', id: '9' },
          at: '2026-05-05T08:00:00.000Z',
        }),
      )
      .then({
        stars_payments: [
          {
            charge_id: 'ch-1',
            user_id: '42',
            order_id: 'o-ch-1',
            credits: 10,
            stars: 50,
            paid_at: new Date('2026-05-04T10:00:00.000Z'),
            refunded_at: new Date('2026-05-05T08:00:00.000Z'),
            refunded_by: 'admin',
            refund_admin_id: '9',
            credits_taken_back: 7,
          },
          {
            charge_id: 'ch-2',
            credits: 50,
            stars: 200,
            refunded_at: null,
            refunded_by: null,
            refund_admin_id: null,
            credits_taken_back: null,
          },
        ],
      }));

  it("a refund by Telegram's support names no admin", () =>
    spec
      .given(userEvent(7, received('ch-3', 10, 50)))
      .when(
        userEvent(7, refunded('ch-3', 50, 0, { kind: 'telegram_support' }), {
          actor: { kind: 'system', id: 'telegram-support' },
        }),
      )
      .then({
        stars_payments: [
          {
            charge_id: 'ch-3',
            user_id: '7',
            refunded_by: 'telegram_support',
            refund_admin_id: null,
            credits_taken_back: 0,
          },
        ],
      }));
});

describe('daily_stats Stars columns (PGlite)', () => {
  const spec = projectionSpec(dailyStatsProjection);
  beforeAll(spec.open);
  afterAll(spec.close);

  it('revenue and credits sold count on the day paid, refunds on the day refunded', () =>
    spec
      .given(
        userEvent(42, received('ch-1', 10, 50), { at: '2026-05-04T10:00:00.000Z' }),
        userEvent(43, received('ch-2', 50, 200), { at: '2026-05-04T11:00:00.000Z' }),
      )
      .when(
        userEvent(42, refunded('ch-1', 50, 10, { kind: 'admin', adminId: 9 }), {
          actor: { kind: 'admin', id: '9' },
          at: '2026-05-05T08:00:00.000Z',
        }),
      )
      .then({
        daily_stats: [
          {
            stars_payments: 2,
            stars_revenue: 250,
            credits_sold: 60,
            stars_refunds: 0,
            stars_refunded: 0,
          },
          {
            stars_payments: 0,
            stars_revenue: 0,
            credits_sold: 0,
            stars_refunds: 1,
            stars_refunded: 50,
          },
        ],
      }));
});
