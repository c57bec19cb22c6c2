import { accept, reject, type Decision } from '../decider.js';
import { STARS_CURRENCY, type UserEvent } from '../events/user-events.js';
import type { IssueStarsInvoice, ReceiveStarsPayment, RefundStarsPayment } from './commands.js';
import type { UserRejection } from './rejections.js';
import { findStarsOrder, findStarsPayment, type StarsOrder, type UserState } from './state.js';

type StarsDecision = Decision<UserEvent, UserRejection>;

/**
 * A credit pack on offer: so many credits for so many Stars. Its id is its credits (unique per
 * offer).
 */
export interface StarsPack {
  readonly credits: number;
  readonly stars: number;
}

export const starsPackId = (pack: StarsPack): string => String(pack.credits);

const isPositiveInt = (n: number): boolean => Number.isSafeInteger(n) && n > 0;

export function issueStarsInvoice(command: IssueStarsInvoice, state: UserState): StarsDecision {
  if (!isPositiveInt(command.credits) || !isPositiveInt(command.stars)) {
    return reject('invalid_amount', 'A pack has a positive whole number of credits and Stars', {
      credits: command.credits,
      stars: command.stars,
    });
  }
  // The same order twice is a repeat of one invoice, not news.
  if (findStarsOrder(state, command.orderId)) return accept();
  return accept({
    type: 'StarsInvoiceIssued',
    data: {
      orderId: command.orderId,
      packId: command.packId,
      credits: command.credits,
      stars: command.stars,
    },
  });
}

export interface StarsCheckout {
  readonly orderId: string | null;
  readonly currency: string;
  readonly totalAmount: number;
  /** The packs on offer now. */
  readonly packs: readonly StarsPack[];
}

/**
 * The pre-checkout decision, before Telegram takes any Stars: the order is this user's, unpaid,
 * its pack is still on offer at the price the invoice showed, and the amount is that price.
 * Null: go ahead. Pure, so the bot answers within Telegram's deadline without a write.
 */
export function checkStarsCheckout(
  state: UserState,
  checkout: StarsCheckout,
): UserRejection | null {
  const order = checkout.orderId === null ? undefined : findStarsOrder(state, checkout.orderId);
  if (!order)
    return {
      code: 'unknown_order',
      message: 'This user has no such order',
      details: { orderId: checkout.orderId },
    };
  if (order.paidBy.length > 0) {
    return {
      code: 'order_already_paid',
      message: 'This order was paid already',
      details: { chargeIds: [...order.paidBy] },
    };
  }
  const pack = checkout.packs.find((candidate) => starsPackId(candidate) === order.packId);
  if (!pack)
    return {
      code: 'pack_unavailable',
      message: 'The pack is no longer on offer',
      details: { packId: order.packId },
    };
  if (pack.stars !== order.stars || pack.credits !== order.credits) {
    return {
      code: 'price_changed',
      message: 'The pack changed since the invoice was sent',
      details: {
        stars: pack.stars,
        credits: pack.credits,
        orderedStars: order.stars,
        orderedCredits: order.credits,
      },
    };
  }
  return mismatch(order, checkout.currency, checkout.totalAmount);
}

function mismatch(order: StarsOrder, currency: string, totalAmount: number): UserRejection | null {
  if (currency === STARS_CURRENCY && totalAmount === order.stars) return null;
  return {
    code: 'payment_mismatch',
    message: 'The payment does not match the order',
    details: {
      currency,
      totalAmount,
      expected: { currency: STARS_CURRENCY, totalAmount: order.stars },
    },
  };
}

/**
 * Credits only for Stars taken: one charge grants once (the charge id is the key), and only what
 * its order says, in its currency and amount. An order paid twice (two checkouts of one invoice
 * that both passed pre-checkout before either was paid) grants twice: the user paid twice.
 */
export function receiveStarsPayment(command: ReceiveStarsPayment, state: UserState): StarsDecision {
  if (findStarsPayment(state, command.chargeId)) {
    return reject('duplicate_payment', 'This payment was recorded already', {
      chargeId: command.chargeId,
    });
  }
  const order = command.orderId === null ? undefined : findStarsOrder(state, command.orderId);
  if (!order || command.orderId === null) {
    return reject('unknown_order', 'The payment names no order of this user', {
      orderId: command.orderId,
    });
  }
  const wrong = mismatch(order, command.currency, command.totalAmount);
  if (wrong) return { ok: false, rejection: wrong };
  return accept<UserEvent>(
    {
      type: 'StarsPaymentReceived',
      data: {
        chargeId: command.chargeId,
        orderId: command.orderId,
        packId: order.packId,
        credits: order.credits,
        stars: order.stars,
        currency: STARS_CURRENCY,
      },
    },
    {
      type: 'CreditsGranted',
      data: {
        amount: order.credits,
        reason: 'stars_purchase',
        grantId: `stars:${command.chargeId}`,
      },
    },
  );
}

/**
 * Refund policy: the Stars go back in full and the credits bought come back out, but never more
 * than the balance holds (credits already spent on videos stay spent), so a balance never goes
 * below zero. One refund per payment, whoever asks.
 */
export function refundStarsPayment(command: RefundStarsPayment, state: UserState): StarsDecision {
  const payment = findStarsPayment(state, command.chargeId);
  if (!payment)
    return reject('unknown_payment', 'This user has no such payment', {
      chargeId: command.chargeId,
    });
  if (payment.refunded) {
    return reject('payment_already_refunded', 'This payment was refunded already', {
      chargeId: command.chargeId,
    });
  }
  const creditsTakenBack = Math.max(0, Math.min(payment.credits, state.balance));
  const refunded: UserEvent = {
    type: 'StarsPaymentRefunded',
    data: {
      chargeId: command.chargeId,
      orderId: payment.orderId,
      stars: payment.stars,
      creditsTakenBack,
      refundedBy: command.refundedBy,
    },
  };
  return creditsTakenBack === 0
    ? accept(refunded)
    : accept<UserEvent>(refunded, {
        type: 'CreditsRevoked',
        data: {
          amount: creditsTakenBack,
          reason: 'stars_refund',
          revokeId: `stars-refund:${command.chargeId}`,
        },
      });
}

/** Whether a refund of this payment would be accepted now (before asking Telegram to make it). */
export function refundableStarsPayment(state: UserState, chargeId: string): UserRejection | null {
  const decision = refundStarsPayment(
    { type: 'RefundStarsPayment', chargeId, refundedBy: { kind: 'telegram_support' } },
    state,
  );
  return decision.ok ? null : decision.rejection;
}
