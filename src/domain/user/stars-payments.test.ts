import { describe, expect, it } from 'vitest';
import type { UserEvent } from '../events/user-events.js';
import { givenFor } from '../../testing/domain/given-when-then.js';
import { checkStarsCheckout, refundableStarsPayment, type StarsPack } from './stars-payments.js';
import { userDecider } from './user-decider.js';

const given = givenFor(userDecider);

const registered: UserEvent[] = [
  {
    type: 'UserRegistered',
    data: { telegramId: 42, username: 'ann', firstName: 'Ann', language: 'en' },
  },
  { type: 'CreditsGranted', data: { amount: 2, reason: 'welcome', grantId: 'welcome-42' } },
];
const packs: StarsPack[] = [
  { credits: 10, stars: 50 },
  { credits: 50, stars: 200 },
];
const issued: UserEvent = {
  type: 'StarsInvoiceIssued',
  data: { orderId: 'o1', packId: '10', credits: 10, stars: 50 },
};
const paid: UserEvent[] = [
  {
    type: 'StarsPaymentReceived',
    data: { chargeId: 'ch1', orderId: 'o1', packId: '10', credits: 10, stars: 50, currency: 'XTR' },
  },
  { type: 'CreditsGranted', data: { amount: 10, reason: 'stars_purchase', grantId: 'stars:ch1' } },
];
const payment = {
  type: 'ReceiveStarsPayment',
  chargeId: 'ch1',
  orderId: 'o1',
  currency: 'XTR',
  totalAmount: 50,
} as const;
const byAdmin = { kind: 'admin', adminId: 7 } as const;

describe('issuing a Stars invoice', () => {
  it('records the order with its pack, credits and price', () => {
    given(registered)
      .when({ type: 'IssueStarsInvoice', orderId: 'o1', packId: '10', credits: 10, stars: 50 })
      .then([issued]);
  });

  it('records one order once', () => {
    given([...registered, issued])
      .when({ type: 'IssueStarsInvoice', orderId: 'o1', packId: '10', credits: 10, stars: 50 })
      .then([]);
  });

  it('refuses a pack without credits or price', () => {
    given(registered)
      .when({ type: 'IssueStarsInvoice', orderId: 'o1', packId: '0', credits: 0, stars: 50 })
      .then('invalid_amount');
    given(registered)
      .when({ type: 'IssueStarsInvoice', orderId: 'o1', packId: '10', credits: 10, stars: 0 })
      .then('invalid_amount');
  });

  it('needs a registered user', () => {
    given()
      .when({ type: 'IssueStarsInvoice', orderId: 'o1', packId: '10', credits: 10, stars: 50 })
      .then('not_registered');
  });
});

describe('pre-checkout', () => {
  const checkout = { orderId: 'o1', currency: 'XTR', totalAmount: 50, packs };
  const state = (history: UserEvent[]) => given(history).state;

  it('lets an unpaid order of an offered pack at its price go ahead', () => {
    expect(checkStarsCheckout(state([...registered, issued]), checkout)).toBeNull();
  });

  it('refuses an order this user does not have (tampered payload, another user’s order)', () => {
    expect(
      checkStarsCheckout(state([...registered, issued]), { ...checkout, orderId: 'o2' })?.code,
    ).toBe('unknown_order');
    expect(
      checkStarsCheckout(state([...registered, issued]), { ...checkout, orderId: null })?.code,
    ).toBe('unknown_order');
    expect(checkStarsCheckout(state(registered), checkout)?.code).toBe('unknown_order');
  });

  it('refuses an order that is paid already', () => {
    expect(checkStarsCheckout(state([...registered, issued, ...paid]), checkout)).toMatchObject({
      code: 'order_already_paid',
      details: { chargeIds: ['ch1'] },
    });
  });

  it('refuses a pack no longer on offer, or offered at another price', () => {
    const stateNow = state([...registered, issued]);
    expect(
      checkStarsCheckout(stateNow, { ...checkout, packs: [{ credits: 50, stars: 200 }] })?.code,
    ).toBe('pack_unavailable');
    expect(
      checkStarsCheckout(stateNow, { ...checkout, packs: [{ credits: 10, stars: 60 }] }),
    ).toMatchObject({
      code: 'price_changed',
      details: { stars: 60, orderedStars: 50 },
    });
  });

  it('refuses another currency or amount than the order’s', () => {
    const stateNow = state([...registered, issued]);
    expect(checkStarsCheckout(stateNow, { ...checkout, currency: 'USD' })?.code).toBe(
      'payment_mismatch',
    );
    expect(checkStarsCheckout(stateNow, { ...checkout, totalAmount: 1 })?.code).toBe(
      'payment_mismatch',
    );
  });
});

describe('receiving a Stars payment', () => {
  it('grants the order’s credits with the payment, in one decision', () => {
    const after = given([...registered, issued])
      .when(payment)
      .then(paid);
    expect(after.balance).toBe(12);
    expect(after.starsPayments).toEqual({
      ch1: { orderId: 'o1', credits: 10, stars: 50, refunded: false },
    });
    expect(after.starsOrders['o1']?.paidBy).toEqual(['ch1']);
  });

  it('grants one charge once', () => {
    given([...registered, issued, ...paid])
      .when(payment)
      .thenRejects('duplicate_payment', { chargeId: 'ch1' });
  });

  it('grants a second charge of one order: the user paid twice', () => {
    given([...registered, issued, ...paid])
      .when({ ...payment, chargeId: 'ch2' })
      .then([
        {
          type: 'StarsPaymentReceived',
          data: {
            chargeId: 'ch2',
            orderId: 'o1',
            packId: '10',
            credits: 10,
            stars: 50,
            currency: 'XTR',
          },
        },
        {
          type: 'CreditsGranted',
          data: { amount: 10, reason: 'stars_purchase', grantId: 'stars:ch2' },
        },
      ]);
  });

  it('refuses a payment that names no order of this user', () => {
    given([...registered, issued])
      .when({ ...payment, orderId: 'o-of-someone-else' })
      .then('unknown_order');
    given([...registered, issued])
      .when({ ...payment, orderId: null })
      .then('unknown_order');
  });

  it('refuses a payment whose currency or amount is not the order’s', () => {
    given([...registered, issued])
      .when({ ...payment, totalAmount: 49 })
      .then('payment_mismatch');
    given([...registered, issued])
      .when({ ...payment, currency: 'EUR' })
      .then('payment_mismatch');
  });
});

describe('refunding a Stars payment', () => {
  it('takes back the credits bought while the balance holds them', () => {
    const after = given([...registered, issued, ...paid])
      .when({ type: 'RefundStarsPayment', chargeId: 'ch1', refundedBy: byAdmin })
      .then([
        {
          type: 'StarsPaymentRefunded',
          data: {
            chargeId: 'ch1',
            orderId: 'o1',
            stars: 50,
            creditsTakenBack: 10,
            refundedBy: byAdmin,
          },
        },
        {
          type: 'CreditsRevoked',
          data: { amount: 10, reason: 'stars_refund', revokeId: 'stars-refund:ch1' },
        },
      ]);
    expect(after.balance).toBe(2);
    expect(after.starsPayments['ch1']?.refunded).toBe(true);
  });

  it('never takes the balance below zero: spent credits stay spent', () => {
    const spentMost: UserEvent = {
      type: 'CreditsSpent',
      data: { amount: 9, reason: 'generation', spendId: 'g1', generationId: 'g1' },
    };
    const after = given([...registered, issued, ...paid, spentMost])
      .when({
        type: 'RefundStarsPayment',
        chargeId: 'ch1',
        refundedBy: { kind: 'telegram_support' },
      })
      .then([
        {
          type: 'StarsPaymentRefunded',
          data: {
            chargeId: 'ch1',
            orderId: 'o1',
            stars: 50,
            creditsTakenBack: 3,
            refundedBy: { kind: 'telegram_support' },
          },
        },
        {
          type: 'CreditsRevoked',
          data: { amount: 3, reason: 'stars_refund', revokeId: 'stars-refund:ch1' },
        },
      ]);
    expect(after.balance).toBe(0);
  });

  it('records a refund of a balance already at zero without a credit event', () => {
    const spentAll: UserEvent = {
      type: 'CreditsSpent',
      data: { amount: 12, reason: 'generation', spendId: 'g1', generationId: 'g1' },
    };
    given([...registered, issued, ...paid, spentAll])
      .when({ type: 'RefundStarsPayment', chargeId: 'ch1', refundedBy: byAdmin })
      .then([
        {
          type: 'StarsPaymentRefunded',
          data: {
            chargeId: 'ch1',
            orderId: 'o1',
            stars: 50,
            creditsTakenBack: 0,
            refundedBy: byAdmin,
          },
        },
      ]);
  });

  it('refunds one payment once, whoever asks second', () => {
    const refunded: UserEvent[] = [
      {
        type: 'StarsPaymentRefunded',
        data: {
          chargeId: 'ch1',
          orderId: 'o1',
          stars: 50,
          creditsTakenBack: 10,
          refundedBy: byAdmin,
        },
      },
      {
        type: 'CreditsRevoked',
        data: { amount: 10, reason: 'stars_refund', revokeId: 'stars-refund:ch1' },
      },
    ];
    const history = [...registered, issued, ...paid, ...refunded];
    given(history)
      .when({ type: 'RefundStarsPayment', chargeId: 'ch1', refundedBy: byAdmin })
      .then('payment_already_refunded');
    given(history)
      .when({
        type: 'RefundStarsPayment',
        chargeId: 'ch1',
        refundedBy: { kind: 'telegram_support' },
      })
      .then('payment_already_refunded');
    expect(refundableStarsPayment(given(history).state, 'ch1')?.code).toBe(
      'payment_already_refunded',
    );
    expect(refundableStarsPayment(given([...registered, issued, ...paid]).state, 'ch1')).toBeNull();
  });

  it('refuses a charge this user never paid', () => {
    given([...registered, issued])
      .when({ type: 'RefundStarsPayment', chargeId: 'nope', refundedBy: byAdmin })
      .then('unknown_payment');
  });
});
