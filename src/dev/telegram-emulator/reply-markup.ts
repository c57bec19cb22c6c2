import type {
  ForceReply,
  InlineKeyboardButton,
  InlineKeyboardMarkup,
  ReplyKeyboardMarkup,
  ReplyKeyboardRemove,
} from 'grammy/types';
import type { ApiParams } from './api-params.js';
import { badRequest } from './bot-api-error.js';

export type ReplyMarkup =
  InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply;

const CALLBACK_DATA_LIMIT_BYTES = 64;

const buttonActions = [
  'url',
  'callback_data',
  'web_app',
  'login_url',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'copy_text',
  'callback_game',
  'pay',
] as const;

/** Reads and validates reply_markup; invalid keyboards fail the whole call, as on Telegram. */
export function readReplyMarkup(params: ApiParams): ReplyMarkup | undefined {
  const markup = params.json<unknown>('reply_markup', 'reply keyboard markup JSON object');
  if (markup === undefined) return undefined;
  if (typeof markup !== 'object' || markup === null)
    throw badRequest("can't parse reply keyboard markup JSON object");
  if ('inline_keyboard' in markup) return validateInlineKeyboard(markup as InlineKeyboardMarkup);
  if ('keyboard' in markup) {
    const keyboard = (markup as ReplyKeyboardMarkup).keyboard;
    if (!Array.isArray(keyboard) || !keyboard.every(Array.isArray))
      throw badRequest('field "keyboard" of the ReplyKeyboardMarkup should be an Array of Arrays');
    return markup as ReplyKeyboardMarkup;
  }
  if ('remove_keyboard' in markup) return markup as ReplyKeyboardRemove;
  if ('force_reply' in markup) return markup as ForceReply;
  throw badRequest("can't parse reply keyboard markup JSON object");
}

export function isInlineKeyboard(markup: ReplyMarkup | undefined): markup is InlineKeyboardMarkup {
  return markup !== undefined && 'inline_keyboard' in markup;
}

function validateInlineKeyboard(markup: InlineKeyboardMarkup): InlineKeyboardMarkup {
  const rows: unknown = markup.inline_keyboard;
  if (!Array.isArray(rows) || !rows.every(Array.isArray)) {
    throw badRequest(
      'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays',
    );
  }
  for (const row of rows as unknown[][]) {
    for (const button of row) validateInlineButton(button);
  }
  return markup;
}

function validateInlineButton(candidate: unknown): asserts candidate is InlineKeyboardButton {
  if (typeof candidate !== 'object' || candidate === null)
    throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
  const button = candidate as Record<string, unknown>;
  if (typeof button.text !== 'string')
    throw badRequest('can\'t parse inline keyboard button: Field "text" must be of type String');
  const actions = buttonActions.filter((action) => button[action] !== undefined);
  if (actions.length === 0) throw badRequest('text buttons are unallowed in the inline keyboard');
  if (typeof button.callback_data === 'string') {
    const bytes = Buffer.byteLength(button.callback_data, 'utf8');
    if (bytes < 1 || bytes > CALLBACK_DATA_LIMIT_BYTES) throw badRequest('BUTTON_DATA_INVALID');
  }
  if (typeof button.url === 'string' && !/^(https?|tg):\/\/\S+$/i.test(button.url)) {
    throw badRequest(`inline keyboard button URL '${button.url}' is invalid: Wrong HTTP URL`);
  }
}
