import type { InlineKeyboardMarkup, Message, MessageEntity } from 'grammy/types';
import { ApiParams } from '../api-params.js';
import { badRequest, messageToEditNotFound, notModified } from '../bot-api-error.js';
import type { StoredMessage } from '../chat-store.js';
import { unixSeconds, type EmulatorState } from '../emulator-state.js';
import { formatText } from '../formatted-text.js';
import { isInlineKeyboard, readReplyMarkup } from '../reply-markup.js';
import { captionFields, mediaContent } from './media-methods.js';
import { hasMedia, withoutMedia, type SendableMedia } from './media-fields.js';
import type { MethodCall, MethodTable } from './method-registry.js';

function editTarget(state: EmulatorState, params: ApiParams): StoredMessage {
  // Inline-mode messages are out of scope for this bot.
  if (params.has('inline_message_id')) throw badRequest('MESSAGE_ID_INVALID');
  const chat = state.chats.get(params.chatId());
  if (chat === undefined) throw badRequest('chat not found');
  const stored = state.chats.find(
    chat.chat.id,
    params.int('message_id', 'message identifier is not specified'),
  );
  if (stored === undefined) throw messageToEditNotFound();
  if (stored.sender !== 'bot') throw badRequest("message can't be edited");
  return stored;
}

/** Edits accept inline keyboards only; leaving reply_markup out removes the keyboard. */
function editMarkup(params: ApiParams): InlineKeyboardMarkup | undefined {
  const markup = readReplyMarkup(params);
  if (markup !== undefined && !isInlineKeyboard(markup))
    throw badRequest('inline keyboard expected');
  return markup;
}

function withMarkup(message: Message, markup: InlineKeyboardMarkup | undefined): Message {
  const { reply_markup: _old, ...rest } = message;
  return markup === undefined ? rest : { ...rest, reply_markup: markup };
}

/** Key-order-insensitive equality for JSON-shaped values. */
function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : inner,
  );
}

function commit(
  state: EmulatorState,
  stored: StoredMessage,
  next: Message,
  markup: InlineKeyboardMarkup | undefined,
): Message {
  const edited = { ...next, edit_date: unixSeconds(state) } as Message;
  state.chats.edit(stored, edited, markup);
  return edited;
}

function editMessageText({ params, state }: MethodCall): Message {
  const stored = editTarget(state, params);
  if (stored.message.text === undefined)
    throw badRequest('there is no text in the message to edit');
  const formatted = formatText(
    params.string('text', 'message text is empty'),
    params.optString('parse_mode'),
    params.json<MessageEntity[]>('entities'),
    'text',
  );
  const markup = editMarkup(params);
  const current = stored.message;
  if (
    current.text === formatted.text &&
    sameJson(current.entities ?? [], formatted.entities) &&
    sameJson(current.reply_markup, markup)
  ) {
    throw notModified();
  }
  const { entities: _old, ...rest } = current;
  const next = {
    ...rest,
    text: formatted.text,
    ...(formatted.entities.length === 0 ? {} : { entities: formatted.entities }),
  } as Message;
  return commit(state, stored, withMarkup(next, markup), markup);
}

function editMessageCaption({ params, state }: MethodCall): Message {
  const stored = editTarget(state, params);
  if (!hasMedia(stored.message)) throw badRequest('there is no caption in the message to edit');
  const caption = captionFields(params);
  const markup = editMarkup(params);
  const current = stored.message;
  if (
    current.caption === caption.caption &&
    sameJson(current.caption_entities ?? [], caption.caption_entities ?? []) &&
    sameJson(current.reply_markup, markup)
  ) {
    throw notModified();
  }
  const { caption: _caption, caption_entities: _entities, ...rest } = current;
  return commit(state, stored, withMarkup({ ...rest, ...caption }, markup), markup);
}

function editMessageReplyMarkup({ params, state }: MethodCall): Message {
  const stored = editTarget(state, params);
  const markup = editMarkup(params);
  if (sameJson(stored.message.reply_markup, markup)) throw notModified();
  return commit(state, stored, withMarkup(stored.message, markup), markup);
}

async function editMessageMedia({ params, state }: MethodCall): Promise<Message> {
  const stored = editTarget(state, params);
  if (!hasMedia(stored.message)) throw badRequest('there is no media in the message to edit');
  const media = params.json<Record<string, unknown>>('media', 'InputMedia JSON object');
  if (media === undefined || typeof media !== 'object') throw badRequest('media is empty');
  const type = String(media.type);
  if (!['photo', 'video', 'animation', 'audio', 'document'].includes(type))
    throw badRequest(`wrong media type "${type}"`);
  const itemParams = new ApiParams(media);
  const content = await mediaContent(state, itemParams, type as SendableMedia, media.media, params);
  const markup = editMarkup(params);
  const next = { ...withoutMedia(stored.message), ...content, ...captionFields(itemParams) };
  const unchanged =
    canonical(withMarkup(next, undefined)) === canonical(withMarkup(stored.message, undefined));
  if (unchanged && sameJson(stored.message.reply_markup, markup)) throw notModified();
  return commit(state, stored, withMarkup(next, markup), markup);
}

export const editMethods: MethodTable = {
  editMessageText,
  editMessageCaption,
  editMessageReplyMarkup,
  editMessageMedia,
};
