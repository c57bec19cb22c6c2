import type { Message, MessageEntity } from 'grammy/types';
import { ApiParams } from '../api-params.js';
import { badRequest } from '../bot-api-error.js';
import type { EmulatorState } from '../emulator-state.js';
import { formatText } from '../formatted-text.js';
import { isInlineKeyboard, readReplyMarkup } from '../reply-markup.js';
import { resolveInputFile, resolveThumbnail } from './input-files.js';
import { mediaFields, type SendableMedia } from './media-fields.js';
import type { MethodCall, MethodHandler, MethodTable } from './method-registry.js';
import { baseMessage, replyTarget, sendOptions, targetChat } from './outgoing-message.js';

/** Caption fields, or nothing when the caption is absent or trims to empty. */
export function captionFields(params: ApiParams): Partial<Message> {
  if (!params.has('caption')) return {};
  const caption = formatText(
    params.optString('caption') ?? '',
    params.optString('parse_mode'),
    params.json<MessageEntity[]>('caption_entities'),
    'caption',
  );
  return {
    ...(caption.text === '' ? {} : { caption: caption.text }),
    ...(caption.entities.length === 0 ? {} : { caption_entities: caption.entities }),
  };
}

/** Builds the media part of a message from parameters shaped like sendVideo's or InputMedia's. */
export async function mediaContent(
  state: EmulatorState,
  params: ApiParams,
  kind: SendableMedia,
  value: unknown,
  uploads: ApiParams,
): Promise<Partial<Message>> {
  const file = await resolveInputFile(state, uploads, kind, value, kind);
  const thumbnail =
    kind === 'photo' || kind === 'voice'
      ? undefined
      : await resolveThumbnail(state, uploads, params.raw('thumbnail'));
  return mediaFields(kind, file, {
    width: params.optInt('width'),
    height: params.optInt('height'),
    duration: params.optInt('duration'),
    performer: params.optString('performer'),
    title: params.optString('title'),
    thumbnail,
  });
}

function sendMedia(kind: SendableMedia): MethodHandler {
  return async ({ params, state }: MethodCall): Promise<Message> => {
    const chat = targetChat(state, params);
    const caption = captionFields(params);
    const markup = readReplyMarkup(params);
    const replyTo = replyTarget(state, chat, params);
    const media = await mediaContent(state, params, kind, params.raw(kind), params);
    const stored = state.chats.append(
      chat,
      'bot',
      (messageId) => ({
        ...baseMessage(state, chat, messageId, replyTo),
        ...media,
        ...caption,
        ...(params.bool('has_spoiler') ? { has_media_spoiler: true as const } : {}),
        ...(isInlineKeyboard(markup) ? { reply_markup: markup } : {}),
      }),
      { replyMarkup: markup, sendOptions: sendOptions(params) },
    );
    return stored.message;
  };
}

type InputMedia = Record<string, unknown> & { type?: unknown; media?: unknown };

const groupable = new Set(['photo', 'video', 'audio', 'document']);
let mediaGroupCounter = 13_000_000_000_000_000;

async function sendMediaGroup({ params, state }: MethodCall): Promise<Message[]> {
  const chat = targetChat(state, params);
  const items = params.json<InputMedia[]>('media', 'InputMedia JSON object');
  if (!Array.isArray(items) || items.length < 2 || items.length > 10) {
    throw badRequest('media group must contain 2-10 items');
  }
  const replyTo = replyTarget(state, chat, params);
  // Resolve every file before storing anything: a bad item fails the whole album, like on Telegram.
  const contents: Partial<Message>[] = [];
  for (const item of items) {
    const type = String(item.type);
    if (!groupable.has(type)) throw badRequest(`wrong media type "${type}" in a media group`);
    const itemParams = new ApiParams(item);
    contents.push({
      ...(await mediaContent(state, itemParams, type as SendableMedia, item.media, params)),
      ...captionFields(itemParams),
      ...(itemParams.bool('has_spoiler') ? { has_media_spoiler: true as const } : {}),
    });
  }
  const mediaGroupId = String(++mediaGroupCounter);
  const options = sendOptions(params);
  return contents.map(
    (content, index) =>
      state.chats.append(
        chat,
        'bot',
        (messageId) => ({
          ...baseMessage(state, chat, messageId, replyTo),
          media_group_id: mediaGroupId,
          ...content,
        }),
        { sendOptions: { ...options, ...sendOptions(new ApiParams(items[index] ?? {})) } },
      ).message,
  );
}

export const mediaMethods: MethodTable = {
  sendPhoto: sendMedia('photo'),
  sendVideo: sendMedia('video'),
  sendAnimation: sendMedia('animation'),
  sendAudio: sendMedia('audio'),
  sendVoice: sendMedia('voice'),
  sendDocument: sendMedia('document'),
  sendMediaGroup,
};
