import { Composer, InlineKeyboard, type MiddlewareFn } from 'grammy';
import type { PreCheckoutQuery, RefundedPayment, SuccessfulPayment, User } from 'grammy/types';
import { paymentCommandId } from '../../commands/stars-command-ids.js';
import { STARS_CURRENCY } from '../../domain/events/user-events.js';
import {
  checkStarsCheckout,
  starsPackId,
  type StarsPack,
} from '../../domain/user/stars-payments.js';
import type { UserState } from '../../domain/user/state.js';
import type { BotContext } from '../bot-context.js';
import type { BotDeps } from '../bot-deps.js';
import { cb } from '../callback-data.js';
import { languageFromCode, t, type Messages } from '../i18n/index.js';
import type { CheckoutRefusal, PaymentView } from '../i18n/views.js';
import { showScreen } from '../screens.js';
import { recordTelegramRefund } from '../stars-refunds.js';
import { answer, mainMenuKeyboard, send, withNav } from '../ui.js';
import { onAction, type ModuleEnv } from './module-env.js';
import { orderIdOf, orderPayload } from './payment-payload.js';

/** Telegram cancels a checkout unanswered after 10 s; the answer must be on its way well before. */
const PRE_CHECKOUT_BUDGET_MS = 7_000;

/**
 * The pack buttons, one per row, under whatever the keyboard already holds. Nothing when payments
 * are off.
 */
export function addPackButtons(
  keyboard: InlineKeyboard,
  t: Messages,
  packs: readonly StarsPack[],
): InlineKeyboard {
  for (const pack of packs) {
    if ((keyboard.inline_keyboard.at(-1)?.length ?? 0) > 0) keyboard.row();
    keyboard.text(
      t.btnBuyPack(pack.credits, pack.stars),
      cb({ kind: 'buyPack', credits: pack.credits }),
    );
  }
  return keyboard;
}

/** Buying a pack (the invoice), `/paysupport` and `/terms`. */
export function paymentsModule(env: ModuleEnv): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const { deps } = env;

  onAction(env, 'buyPack', async (ctx, action) => {
    const { t: m, userId } = ctx.scope;
    answer(ctx);
    const pack = deps.config.STARS_PACKS.find((candidate) => candidate.credits === action.credits);
    if (!pack) {
      // A button from before the operator changed the packs.
      await send(ctx, m.packUnavailable);
      await showScreen(ctx, 'credits');
      return;
    }
    const orderId = ctx.scope.derivedId('o');
    const outcome = await ctx.scope.exec({
      type: 'IssueStarsInvoice',
      orderId,
      packId: starsPackId(pack),
      credits: pack.credits,
      stars: pack.stars,
    });
    if (!outcome.ok) {
      deps.log.warn({ userId, rejection: outcome.rejection }, 'invoice refused');
      await send(ctx, m.errorApology);
      return;
    }
    // Sent again for a redelivered update: the order is one, and pre-checkout lets it be paid once.
    await ctx.api.sendInvoice(
      ctx.chat?.id ?? userId,
      m.invoiceTitle(pack.credits),
      m.invoiceDescription(pack.credits, deps.config.COST_UGC_VIDEO),
      orderPayload(orderId),
      STARS_CURRENCY,
      [{ label: m.invoiceLabel(pack.credits), amount: pack.stars }],
      { provider_token: '' },
    );
  });

  composer.command('paysupport', async (ctx) => {
    const payments: PaymentView[] = Object.entries(ctx.scope.state.starsPayments).map(
      ([chargeId, payment]) => ({
        chargeId,
        stars: payment.stars,
        credits: payment.credits,
        refunded: payment.refunded,
      }),
    );
    await send(
      ctx,
      ctx.scope.t.paySupport(payments.slice(-10)),
      withNav(
        new InlineKeyboard().text(
          ctx.scope.t.btnFeedback,
          cb({ kind: 'screen', screen: 'feedback' }),
        ),
        ctx.scope.t,
      ),
    );
  });

  composer.command('terms', async (ctx) => {
    await send(
      ctx,
      ctx.scope.t.terms(deps.config.COST_UGC_VIDEO),
      withNav(new InlineKeyboard(), ctx.scope.t, { kind: 'screen', screen: 'credits' }),
    );
  });

  return composer;
}

/**
 * The payment updates, handled ahead of flood control and everything else: a pre-checkout query
 * must be answered within Telegram's 10 s or the purchase is cancelled, and a successful payment
 * dropped as a flood would be Stars taken for nothing. None of them waits for anything but the
 * buyer's own event stream.
 */
export function paymentUpdates(deps: BotDeps): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    if (ctx.preCheckoutQuery) return answerPreCheckout(ctx, deps, ctx.preCheckoutQuery);
    const message = ctx.message;
    if (message?.successful_payment && message.from)
      return receivePayment(ctx, deps, message.from, message.successful_payment);
    if (message?.refunded_payment && message.from)
      return receiveRefund(ctx, deps, message.from, message.refunded_payment);
    return next();
  };
}

async function answerPreCheckout(
  ctx: BotContext,
  deps: BotDeps,
  query: PreCheckoutQuery,
): Promise<void> {
  let refusal: CheckoutRefusal | null;
  let language = languageFromCode(query.from.language_code);
  try {
    const state = await withinBudget(deps.users.state(query.from.id));
    if (state.registered) language = state.language;
    const rejection = checkStarsCheckout(state, {
      orderId: orderIdOf(query.invoice_payload),
      currency: query.currency,
      totalAmount: query.total_amount,
      packs: deps.config.STARS_PACKS,
    });
    refusal = rejection === null ? null : (rejection.code as CheckoutRefusal);
    deps.log.info(
      { userId: query.from.id, payload: query.invoice_payload, refusal },
      'pre-checkout answered',
    );
  } catch (error) {
    deps.log.error(
      { err: error, userId: query.from.id },
      'pre-checkout could not be checked; refused',
    );
    refusal = 'failed';
  }
  await ctx.api.answerPreCheckoutQuery(
    query.id,
    refusal === null,
    refusal === null ? {} : { error_message: t(language).checkoutRefused(refusal) },
  );
}

function withinBudget<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${PRE_CHECKOUT_BUDGET_MS} ms`)),
      PRE_CHECKOUT_BUDGET_MS,
    );
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

async function receivePayment(
  ctx: BotContext,
  deps: BotDeps,
  from: User,
  payment: SuccessfulPayment,
): Promise<void> {
  const chargeId = payment.telegram_payment_charge_id;
  const outcome = await deps.users.execute(
    from.id,
    {
      type: 'ReceiveStarsPayment',
      chargeId,
      orderId: orderIdOf(payment.invoice_payload),
      currency: payment.currency,
      totalAmount: payment.total_amount,
    },
    { commandId: paymentCommandId(chargeId), actor: { kind: 'user', id: String(from.id) } },
  );
  const m = messagesFor(outcome.state, from);
  if (outcome.ok) {
    if (outcome.duplicate) return;
    const received = outcome.events.find((event) => event.type === 'StarsPaymentReceived');
    const credits = received?.type === 'StarsPaymentReceived' ? received.data.credits : 0;
    deps.log.info(
      { userId: from.id, chargeId, credits, stars: payment.total_amount },
      'Stars payment received',
    );
    await ctx.api.sendMessage(
      from.id,
      m.paymentReceived(credits, payment.total_amount, outcome.state.balance),
      {
        parse_mode: 'HTML',
        reply_markup: mainMenuKeyboard(m),
      },
    );
    return;
  }
  if (outcome.rejection.code === 'duplicate_payment') return;
  // Stars were taken for nothing this user ordered (pre-checkout should have stopped it): give
  // them back rather than keep money without a record of what it bought.
  deps.log.error(
    { userId: from.id, chargeId, rejection: outcome.rejection, payload: payment.invoice_payload },
    'unmatched Stars payment; refunding',
  );
  try {
    await ctx.api.refundStarPayment(from.id, chargeId);
    await ctx.api.sendMessage(from.id, m.paymentUnmatched(payment.total_amount), {
      parse_mode: 'HTML',
    });
  } catch (error) {
    deps.log.error(
      { err: error, userId: from.id, chargeId },
      'could not refund an unmatched Stars payment; refund it by hand',
    );
  }
}

async function receiveRefund(
  ctx: BotContext,
  deps: BotDeps,
  from: User,
  refund: RefundedPayment,
): Promise<void> {
  const result = await recordTelegramRefund(
    { api: ctx.api, users: deps.users, log: deps.log },
    from.id,
    refund.telegram_payment_charge_id,
  );
  // A refund the bot made itself is recorded already; Telegram may report it too.
  if (!result.ok)
    deps.log.info(
      { userId: from.id, chargeId: refund.telegram_payment_charge_id, code: result.code },
      'refunded_payment: nothing to record',
    );
}

function messagesFor(state: UserState, from: User): Messages {
  return t(state.registered ? state.language : languageFromCode(from.language_code));
}
