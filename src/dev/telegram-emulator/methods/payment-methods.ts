import type { InlineKeyboardMarkup, Message, StarAmount, StarTransactions } from 'grammy/types';
import type { ApiParams } from '../api-params.js';
import { badRequest } from '../bot-api-error.js';
import { unixSeconds } from '../emulator-state.js';
import { deliverRefundedPayment } from '../payment-flow.js';
import { isInlineKeyboard, readReplyMarkup } from '../reply-markup.js';
import { readInvoiceFields, type InvoiceFields } from './invoice-fields.js';
import type { MethodCall, MethodTable } from './method-registry.js';
import { baseMessage, replyTarget, sendOptions, targetChat } from './outgoing-message.js';

const photoOptions = ['photo_url', 'photo_size', 'photo_width', 'photo_height'] as const;

function sendInvoice({ params, state }: MethodCall): Message {
  const fields = readInvoiceFields(params);
  const chat = targetChat(state, params);
  const markup = readInvoiceMarkup(params);
  const replyTo = replyTarget(state, chat, params);
  const stored = state.chats.append(
    chat,
    'bot',
    (messageId) => ({
      ...baseMessage(state, chat, messageId, replyTo),
      invoice: {
        title: fields.title,
        description: fields.description,
        start_parameter: fields.startParameter,
        currency: fields.currency,
        total_amount: fields.totalAmount,
      },
      ...(markup === undefined ? {} : { reply_markup: markup }),
    }),
    // Without reply_markup the app still shows one Pay button; the user presses that one.
    {
      replyMarkup: markup ?? payKeyboard(fields),
      sendOptions: { ...sendOptions(params), ...photoSendOptions(params) },
    },
  );
  state.stars.addMessageInvoice({
    ...fields,
    message: { chatId: stored.chatId, messageId: stored.messageId },
  });
  return stored.message;
}

function createInvoiceLink({ params, state }: MethodCall): string {
  if (params.has('subscription_period')) throw badRequest('subscriptions are not emulated');
  return state.stars.addLinkInvoice(readInvoiceFields(params));
}

function answerPreCheckoutQuery({ params, state }: MethodCall): boolean {
  const queryId = params.optString('pre_checkout_query_id') ?? '';
  const ok = params.bool('ok');
  const errorMessage = ok
    ? undefined
    : params.string('error_message', 'parameter "error_message" is required');
  state.preCheckout.answer(queryId, {
    ok,
    ...(errorMessage === undefined ? {} : { errorMessage }),
  });
  return true;
}

function refundStarPayment({ params, state }: MethodCall): boolean {
  const userId = userIdParam(params);
  const chargeId = params.string(
    'telegram_payment_charge_id',
    'parameter "telegram_payment_charge_id" is required',
  );
  const result = state.stars.refund(chargeId, userId, unixSeconds(state), 'bot');
  // CHARGE_ALREADY_REFUNDED is Telegram's documented refusal; CHARGE_NOT_FOUND (no such charge of
  // this user) is the emulator's name, Telegram documents no error for it.
  if (result.kind === 'not-found') throw badRequest('CHARGE_NOT_FOUND');
  if (result.kind === 'already-refunded') throw badRequest('CHARGE_ALREADY_REFUNDED');
  // The chat shows the refund as a service message, whoever made it, and the bot receives it.
  deliverRefundedPayment(state, result.charge);
  return true;
}

function getStarTransactions({ params, state }: MethodCall): StarTransactions {
  const offset = Math.max(0, params.optInt('offset') ?? 0);
  const limit = Math.min(100, Math.max(1, params.optInt('limit') ?? 100));
  return { transactions: state.stars.transactions().slice(offset, offset + limit) };
}

function getMyStarBalance({ state }: MethodCall): StarAmount {
  return { amount: state.stars.balance() };
}

/** The Bot API reads user_id as a number and calls anything that is not a positive one invalid. */
function userIdParam(params: ApiParams): number {
  const raw = params.raw('user_id');
  const value =
    typeof raw === 'number'
      ? raw
      : typeof raw === 'string' && /^\d+$/.test(raw.trim())
        ? Number(raw)
        : 0;
  if (!Number.isSafeInteger(value) || value <= 0) throw badRequest('invalid user_id specified');
  return value;
}

/** An invoice's keyboard must lead with its Pay button. */
function readInvoiceMarkup(params: ApiParams): InlineKeyboardMarkup | undefined {
  const markup = readReplyMarkup(params);
  if (markup === undefined) return undefined;
  const first = isInlineKeyboard(markup) ? markup.inline_keyboard[0]?.[0] : undefined;
  if (first === undefined || !('pay' in first) || first.pay !== true)
    throw badRequest('BUTTON_TYPE_INVALID');
  return markup as InlineKeyboardMarkup;
}

function payKeyboard(fields: InvoiceFields): InlineKeyboardMarkup {
  return { inline_keyboard: [[{ text: `Pay ⭐${fields.totalAmount}`, pay: true }]] };
}

function photoSendOptions(params: ApiParams): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const name of photoOptions) if (params.has(name)) options[name] = params.raw(name);
  return options;
}

export const paymentMethods: MethodTable = {
  sendInvoice,
  createInvoiceLink,
  answerPreCheckoutQuery,
  refundStarPayment,
  getStarTransactions,
  getMyStarBalance,
};
