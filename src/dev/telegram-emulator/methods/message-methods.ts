import type { Message, MessageEntity } from 'grammy/types';
import { badRequest } from '../bot-api-error.js';
import type { StoredMessage } from '../chat-store.js';
import type { EmulatorState } from '../emulator-state.js';
import { formatText } from '../formatted-text.js';
import { isInlineKeyboard, readReplyMarkup } from '../reply-markup.js';
import type { MethodCall, MethodTable } from './method-registry.js';
import { baseMessage, replyTarget, sendOptions, targetChat } from './outgoing-message.js';

function sendMessage({ params, state }: MethodCall): Message {
  const chat = targetChat(state, params);
  const formatted = formatText(
    params.string('text', 'message text is empty'),
    params.optString('parse_mode'),
    params.json<MessageEntity[]>('entities'),
    'text',
  );
  const markup = readReplyMarkup(params);
  const replyTo = replyTarget(state, chat, params);
  const stored = state.chats.append(
    chat,
    'bot',
    (messageId) => ({
      ...baseMessage(state, chat, messageId, replyTo),
      text: formatted.text,
      ...(formatted.entities.length === 0 ? {} : { entities: formatted.entities }),
      ...(isInlineKeyboard(markup) ? { reply_markup: markup } : {}),
    }),
    { replyMarkup: markup, sendOptions: sendOptions(params) },
  );
  return stored.message;
}

/** Fields that make up a message's content, as opposed to its envelope. */
const contentKeys = [
  'text',
  'entities',
  'caption',
  'caption_entities',
  'photo',
  'video',
  'animation',
  'audio',
  'voice',
  'document',
  'video_note',
  'sticker',
  'media_group_id',
  'has_media_spoiler',
  'location',
  'contact',
  'poll',
] as const;

function contentOf(message: Message): Partial<Message> {
  const content: Record<string, unknown> = {};
  for (const key of contentKeys) if (message[key] !== undefined) content[key] = message[key];
  delete content.media_group_id;
  return content;
}

function sourceMessage(state: EmulatorState, call: MethodCall, notFound: string): StoredMessage {
  const from = state.chats.get(call.params.chatId('from_chat_id'));
  if (from === undefined) throw badRequest('chat not found');
  const stored = state.chats.find(
    from.chat.id,
    call.params.int('message_id', 'message identifier is not specified'),
  );
  if (stored === undefined) throw badRequest(notFound);
  return stored;
}

function copyMessage(call: MethodCall): { message_id: number } {
  const { params, state } = call;
  const source = sourceMessage(state, call, 'message to copy not found');
  const chat = targetChat(state, params);
  const content = contentOf(source.message);
  if (params.has('caption') || params.raw('caption') === '') {
    const caption = formatText(
      params.optString('caption') ?? '',
      params.optString('parse_mode'),
      params.json<MessageEntity[]>('caption_entities'),
      'caption',
    );
    delete content.caption;
    delete content.caption_entities;
    if (caption.text !== '') content.caption = caption.text;
    if (caption.entities.length > 0) content.caption_entities = caption.entities;
  }
  const markup = readReplyMarkup(params);
  const replyTo = replyTarget(state, chat, params);
  const stored = state.chats.append(
    chat,
    'bot',
    (messageId) => ({
      ...baseMessage(state, chat, messageId, replyTo),
      ...content,
      ...(isInlineKeyboard(markup) ? { reply_markup: markup } : {}),
    }),
    { replyMarkup: markup, sendOptions: sendOptions(params) },
  );
  return { message_id: stored.messageId };
}

function forwardMessage(call: MethodCall): Message {
  const { params, state } = call;
  const source = sourceMessage(state, call, 'message to forward not found');
  const chat = targetChat(state, params);
  const original = source.message;
  const stored = state.chats.append(
    chat,
    'bot',
    (messageId) => ({
      ...baseMessage(state, chat, messageId, undefined),
      forward_origin:
        original.from === undefined
          ? { type: 'hidden_user', sender_user_name: 'Unknown', date: original.date }
          : { type: 'user', sender_user: original.from, date: original.date },
      ...contentOf(original),
    }),
    { sendOptions: sendOptions(params) },
  );
  return stored.message;
}

function deleteOne(state: EmulatorState, chatId: number, messageId: number): boolean {
  const stored = state.chats.find(chatId, messageId);
  if (stored === undefined) return false;
  const chat = state.chats.get(chatId);
  // Without admin rights a bot may delete only its own messages outside private chats.
  if (chat?.chat.type !== 'private' && stored.sender !== 'bot')
    throw badRequest("message can't be deleted");
  state.chats.delete(stored);
  return true;
}

function deleteMessage({ params, state }: MethodCall): boolean {
  const chat = state.chats.get(params.chatId());
  if (chat === undefined) throw badRequest('chat not found');
  if (
    !deleteOne(state, chat.chat.id, params.int('message_id', 'message identifier is not specified'))
  ) {
    throw badRequest('message to delete not found');
  }
  return true;
}

function deleteMessages({ params, state }: MethodCall): boolean {
  const chat = state.chats.get(params.chatId());
  if (chat === undefined) throw badRequest('chat not found');
  const ids = params.json<number[]>('message_ids') ?? [];
  if (ids.length === 0 || ids.length > 100)
    throw badRequest('message_ids must contain 1-100 identifiers');
  let deletedAny = false;
  for (const id of ids) deletedAny = deleteOne(state, chat.chat.id, id) || deletedAny;
  if (!deletedAny) throw badRequest('message to delete not found');
  return true;
}

const chatActions = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

function sendChatAction({ params, state }: MethodCall): boolean {
  const chat = targetChat(state, params);
  const action = params.string('action', 'action is empty');
  if (!chatActions.has(action)) throw badRequest('wrong parameter action in request');
  chat.actions.push({ action, at: state.now() });
  return true;
}

export const messageMethods: MethodTable = {
  sendMessage,
  copyMessage,
  forwardMessage,
  deleteMessage,
  deleteMessages,
  sendChatAction,
};
