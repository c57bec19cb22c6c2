import { GrammyError, HttpError, type Api } from 'grammy';
import { refundCommandId } from '../commands/stars-command-ids.js';
import type { UserCommandOutcome, UserCommands } from '../commands/user-commands.js';
import type { PaymentRefunder } from '../domain/events/user-events.js';
import { refundableStarsPayment } from '../domain/user/stars-payments.js';
import type { UserState } from '../domain/user/state.js';
import type { Logger } from '../logging/logger.js';
import { t } from './i18n/index.js';

export type StarsRefundFailure =
  'not_registered' | 'unknown_payment' | 'payment_already_refunded' | 'telegram_refused';

export type StarsRefundResult =
  | {
      readonly ok: true;
      readonly stars: number;
      readonly creditsTakenBack: number;
      readonly balance: number;
      /** This refund was recorded before (a repeated request): nothing new happened. */
      readonly duplicate: boolean;
    }
  | {
      readonly ok: false;
      readonly code: StarsRefundFailure;
      readonly message: string;
      readonly retryable: boolean;
    };

export interface StarsRefundDeps {
  readonly api: Api;
  readonly users: UserCommands;
  readonly log: Logger;
}

/**
 * An admin refunds a Stars payment: checked against the user's stream first, then Telegram returns
 * the Stars (`refundStarPayment`), then the refund is recorded with the credits the policy takes
 * back, then the user is told. Telegram first, so nothing is recorded that did not happen; a
 * charge Telegram reports as refunded already (an earlier try that failed to record) is recorded
 * now.
 */
export async function refundStarsPaymentAsAdmin(
  deps: StarsRefundDeps,
  request: { readonly userId: number; readonly chargeId: string; readonly adminId: number },
): Promise<StarsRefundResult> {
  const { userId, chargeId, adminId } = request;
  const state = await deps.users.state(userId);
  if (!state.registered)
    return {
      ok: false,
      code: 'not_registered',
      message: 'The user has not started the bot',
      retryable: false,
    };
  const refusal = refundableStarsPayment(state, chargeId);
  if (refusal) {
    const code =
      refusal.code === 'payment_already_refunded' ? 'payment_already_refunded' : 'unknown_payment';
    return { ok: false, code, message: refusal.message, retryable: false };
  }
  try {
    await deps.api.refundStarPayment(userId, chargeId);
  } catch (error) {
    if (!(error instanceof GrammyError && /CHARGE_ALREADY_REFUNDED/i.test(error.description))) {
      deps.log.warn({ err: error, userId, chargeId }, 'Telegram refused a Stars refund');
      const message =
        error instanceof GrammyError ? error.description : 'Telegram could not be reached';
      // A refusal is Telegram's answer; a lost request (network, 5xx) may be tried again.
      const retryable =
        error instanceof HttpError || (error instanceof GrammyError && error.error_code >= 500);
      return { ok: false, code: 'telegram_refused', message, retryable };
    }
  }
  const outcome = await deps.users.execute(
    userId,
    { type: 'RefundStarsPayment', chargeId, refundedBy: { kind: 'admin', adminId } },
    { commandId: refundCommandId(chargeId), actor: { kind: 'admin', id: String(adminId) } },
  );
  return recordedRefund(deps, userId, outcome);
}

/**
 * A refund Telegram made on its own (`refunded_payment`): recorded once and told, like an admin's.
 */
export async function recordTelegramRefund(
  deps: StarsRefundDeps,
  userId: number,
  chargeId: string,
): Promise<StarsRefundResult> {
  const refundedBy: PaymentRefunder = { kind: 'telegram_support' };
  const outcome = await deps.users.execute(
    userId,
    { type: 'RefundStarsPayment', chargeId, refundedBy },
    { commandId: refundCommandId(chargeId), actor: { kind: 'system', id: 'telegram-support' } },
  );
  return recordedRefund(deps, userId, outcome);
}

async function recordedRefund(
  deps: StarsRefundDeps,
  userId: number,
  outcome: UserCommandOutcome,
): Promise<StarsRefundResult> {
  if (!outcome.ok) {
    const { code, message } = outcome.rejection;
    const failure: StarsRefundFailure =
      code === 'payment_already_refunded'
        ? code
        : code === 'not_registered'
          ? code
          : 'unknown_payment';
    return { ok: false, code: failure, message, retryable: false };
  }
  const refunded = outcome.events.find((event) => event.type === 'StarsPaymentRefunded');
  const stars = refunded?.type === 'StarsPaymentRefunded' ? refunded.data.stars : 0;
  const creditsTakenBack =
    refunded?.type === 'StarsPaymentRefunded' ? refunded.data.creditsTakenBack : 0;
  if (!outcome.duplicate) await tellRefund(deps, userId, outcome.state, stars, creditsTakenBack);
  return {
    ok: true,
    stars,
    creditsTakenBack,
    balance: outcome.state.balance,
    duplicate: outcome.duplicate,
  };
}

async function tellRefund(
  deps: StarsRefundDeps,
  userId: number,
  state: UserState,
  stars: number,
  creditsTakenBack: number,
): Promise<void> {
  await deps.api
    .sendMessage(
      userId,
      t(state.language).paymentRefunded(stars, creditsTakenBack, state.balance),
      { parse_mode: 'HTML' },
    )
    .catch((error: unknown) =>
      deps.log.warn({ err: error, userId }, 'could not tell the user about a refund'),
    );
}
