import type { Message } from 'grammy/types';
import type { ApiParams } from '../api-params.js';
import { badRequest, forbidden } from '../bot-api-error.js';
import type { ChatRecord } from '../chat-store.js';
import { unixSeconds, type EmulatorState } from '../emulator-state.js';

/** The chat a send method targets; a user who never wrote to the bot has no chat with it. */
export function targetChat(state: EmulatorState, params: ApiParams): ChatRecord {
  const chat = state.chats.get(params.chatId());
  if (chat === undefined) throw badRequest('chat not found');
  if (chat.blocked) throw forbidden('bot was blocked by the user');
  return chat;
}

interface ReplyParameters {
  message_id?: number;
  chat_id?: number | string;
  allow_sending_without_reply?: boolean;
}

/** reply_parameters (or the legacy reply_to_message_id) resolved to the quoted message. */
export function replyTarget(
  state: EmulatorState,
  chat: ChatRecord,
  params: ApiParams,
): Message | undefined {
  const reply = params.json<ReplyParameters>('reply_parameters') ?? {};
  const messageId = reply.message_id ?? params.optInt('reply_to_message_id');
  if (messageId === undefined) return undefined;
  const allowWithout =
    reply.allow_sending_without_reply ?? params.bool('allow_sending_without_reply');
  const source = reply.chat_id === undefined ? chat : state.chats.get(reply.chat_id);
  const target = source === undefined ? undefined : state.chats.find(source.chat.id, messageId);
  if (target === undefined) {
    if (allowWithout) return undefined;
    throw badRequest('message to be replied not found');
  }
  // Telegram nests one level only.
  const { reply_to_message: _nested, ...quoted } = target.message;
  return quoted;
}

/** Fields every message the bot sends has. */
export function baseMessage(
  state: EmulatorState,
  chat: ChatRecord,
  messageId: number,
  replyTo: Message | undefined,
): Message {
  return {
    message_id: messageId,
    from: state.bot,
    chat: chat.chat,
    date: unixSeconds(state),
    ...(replyTo === undefined
      ? {}
      : { reply_to_message: replyTo as Message & { reply_to_message: undefined } }),
  };
}

const recordedOptions = [
  'disable_notification',
  'protect_content',
  'supports_streaming',
  'has_spoiler',
  'show_caption_above_media',
  'link_preview_options',
  'message_effect_id',
  'allow_paid_broadcast',
  'message_thread_id',
  'cover',
  'start_timestamp',
] as const;

/** Send parameters without a place in Message, kept so tests can assert on them. */
export function sendOptions(params: ApiParams): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const name of recordedOptions) {
    if (!params.has(name)) continue;
    const raw = params.raw(name);
    options[name] = raw === 'true' ? true : raw === 'false' ? false : raw;
  }
  return options;
}
