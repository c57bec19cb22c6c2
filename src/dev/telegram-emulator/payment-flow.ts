import type { Chat, PreCheckoutQuery, User } from 'grammy/types';
import { toChatMessage, type ChatMessage } from './chat-message.js';
import type { ChatRecord } from './chat-store.js';
import { unixSeconds, type EmulatorState } from './emulator-state.js';
import type { InvoiceRecord, StarCharge } from './star-ledger.js';
import type { UpdateContent } from './update-queue.js';

/** How a purchase ended for the user. */
export type PaymentOutcome =
  /** The bot said ok: Stars were charged and successful_payment went to the bot. */
  | {
      readonly status: 'paid';
      readonly queryId: string;
      readonly chargeId: string;
      readonly message: ChatMessage;
    }
  /** The bot refused at pre-checkout; the user saw `errorMessage`; nothing was charged. */
  | { readonly status: 'declined'; readonly queryId: string; readonly errorMessage: string }
  /** No answer before the deadline: Telegram cancelled the purchase; nothing was charged. */
  | { readonly status: 'expired'; readonly queryId: string };

export interface PayOptions {
  /**
   * A tampered client: the pre-checkout query (and so the payment) carries this payload instead of
   * the invoice's.
   */
  readonly tamperPayload?: string;
}

/**
 * A user pays an invoice the way Telegram runs it: a pre_checkout_query to the bot, then — only
 * on an ok within the deadline — the charge, the star transaction and the successful_payment
 * service message.
 */
export async function payInvoice(
  state: EmulatorState,
  user: User,
  invoice: InvoiceRecord,
  options: PayOptions = {},
): Promise<PaymentOutcome> {
  const payload = options.tamperPayload ?? invoice.payload;
  const query: PreCheckoutQuery = {
    id: state.preCheckout.nextId(user.id),
    from: user,
    currency: invoice.currency,
    total_amount: invoice.totalAmount,
    invoice_payload: payload,
  };
  state.preCheckout.register(query);
  state.updates.push({ pre_checkout_query: query });
  const result = await state.preCheckout.waitForAnswer(query.id);
  if (result.kind === 'expired') return { status: 'expired', queryId: query.id };
  if (!result.answer.ok)
    return {
      status: 'declined',
      queryId: query.id,
      errorMessage: result.answer.errorMessage ?? '',
    };

  const { chargeId, providerChargeId } = state.stars.newChargeIds(user.id);
  const chat = paymentChat(state, user, invoice);
  const date = unixSeconds(state);
  const stored = state.chats.append(chat, 'user', (messageId) => ({
    message_id: messageId,
    from: user,
    chat: chat.chat,
    date,
    successful_payment: {
      currency: invoice.currency,
      total_amount: invoice.totalAmount,
      invoice_payload: payload,
      telegram_payment_charge_id: chargeId,
      provider_payment_charge_id: providerChargeId,
    },
  }));
  state.stars.recordCharge({
    chargeId,
    providerChargeId,
    user,
    invoice,
    currency: invoice.currency,
    totalAmount: invoice.totalAmount,
    payload,
    date,
    message: stored.message,
  });
  state.updates.push({ message: stored.message } as UpdateContent);
  return { status: 'paid', queryId: query.id, chargeId, message: toChatMessage(stored) };
}

/** Telegram may deliver a successful_payment again: the same message in a new update. */
export function redeliverSuccessfulPayment(state: EmulatorState, chargeId: string): void {
  const charge = state.stars.charge(chargeId);
  if (charge === undefined) throw new Error(`no Stars charge ${chargeId}`);
  state.updates.push({ message: charge.message } as UpdateContent);
}

/**
 * A refund made through Telegram's support, not by the bot: the bot learns of it from
 * refunded_payment.
 */
export function refundBySupport(state: EmulatorState, chargeId: string): void {
  const result = state.stars.refund(chargeId, undefined, unixSeconds(state), 'support');
  if (result.kind === 'not-found') throw new Error(`no Stars charge ${chargeId}`);
  if (result.kind === 'already-refunded')
    throw new Error(`Stars charge ${chargeId} is already refunded`);
  deliverRefundedPayment(state, result.charge);
}

/** The refunded_payment service message in the chat of the payment, from the user, as an update. */
export function deliverRefundedPayment(state: EmulatorState, charge: StarCharge): void {
  const chat = paymentChat(state, charge.user, charge.invoice);
  const stored = state.chats.append(chat, 'user', (messageId) => ({
    message_id: messageId,
    from: charge.user,
    chat: chat.chat,
    date: charge.refund?.date ?? unixSeconds(state),
    // No provider_payment_charge_id: the Bot API leaves it out when it is empty, as it is for Stars
    // refunds.
    refunded_payment: {
      currency: charge.currency,
      total_amount: charge.totalAmount,
      invoice_payload: charge.payload,
      telegram_payment_charge_id: charge.chargeId,
    },
  }));
  state.updates.push({ message: stored.message } as UpdateContent);
}

/** The invoice message's chat; a link payment lands in the user's private chat with the bot. */
function paymentChat(state: EmulatorState, user: User, invoice: InvoiceRecord): ChatRecord {
  const invoiceChat =
    invoice.message === undefined ? undefined : state.chats.get(invoice.message.chatId);
  if (invoiceChat !== undefined) return invoiceChat;
  const chat: Chat = {
    id: user.id,
    type: 'private',
    first_name: user.first_name,
    ...(user.last_name === undefined ? {} : { last_name: user.last_name }),
    ...(user.username === undefined ? {} : { username: user.username }),
  };
  return state.chats.ensure(chat, user);
}
