import type {
  InlineKeyboardButton,
  Invoice,
  Message,
  MessageEntity,
  RefundedPayment,
  SuccessfulPayment,
} from 'grammy/types';
import type { Sender, StoredMessage } from './chat-store.js';
import { isInlineKeyboard, type ReplyMarkup } from './reply-markup.js';

export type MediaKind =
  'photo' | 'video' | 'animation' | 'audio' | 'voice' | 'document' | 'video_note' | 'sticker';

export interface MediaInfo {
  readonly kind: MediaKind;
  readonly fileId: string;
  readonly fileUniqueId: string;
  readonly fileSize?: number;
  readonly fileName?: string;
  readonly mimeType?: string;
  readonly width?: number;
  readonly height?: number;
  readonly duration?: number;
  readonly thumbnail?: { readonly fileId: string; readonly width: number; readonly height: number };
}

/** A message as a test sees it: content, keyboard and edit history in one flat object. */
export interface ChatMessage {
  readonly chatId: number;
  readonly messageId: number;
  readonly sender: Sender;
  readonly date: number;
  readonly text?: string;
  readonly caption?: string;
  /** Entities of the text or of the caption. */
  readonly entities: readonly MessageEntity[];
  readonly media?: MediaInfo;
  /** Whatever markup was sent, reply keyboards included. */
  readonly replyMarkup?: ReplyMarkup;
  readonly inlineKeyboard?: readonly (readonly InlineKeyboardButton[])[];
  readonly mediaGroupId?: string;
  /** An invoice the bot sent (sendInvoice). */
  readonly invoice?: Invoice;
  /** The service message of a Stars payment, sent by the user's side to the bot. */
  readonly successfulPayment?: SuccessfulPayment;
  /** The service message of a refund, by the bot or by Telegram's support. */
  readonly refundedPayment?: RefundedPayment;
  readonly replyToMessageId?: number;
  readonly editCount: number;
  /** Earlier texts/captions, oldest first. */
  readonly previousVersions: readonly { readonly text?: string; readonly caption?: string }[];
  readonly deleted: boolean;
  /** Send parameters that Message has no field for (supports_streaming, protect_content…). */
  readonly sendOptions: Readonly<Record<string, unknown>>;
  /** Global change counter of the last change. */
  readonly revision: number;
  /** The Bot API shape. */
  readonly raw: Message;
}

export function toChatMessage(stored: StoredMessage): ChatMessage {
  const message = stored.message;
  const media = mediaOf(message);
  const entities = message.entities ?? message.caption_entities ?? [];
  return {
    chatId: stored.chatId,
    messageId: stored.messageId,
    sender: stored.sender,
    date: message.date,
    ...(message.text === undefined ? {} : { text: message.text }),
    ...(message.caption === undefined ? {} : { caption: message.caption }),
    entities,
    ...(media === undefined ? {} : { media }),
    ...(stored.replyMarkup === undefined ? {} : { replyMarkup: stored.replyMarkup }),
    ...(isInlineKeyboard(stored.replyMarkup)
      ? { inlineKeyboard: stored.replyMarkup.inline_keyboard }
      : {}),
    ...(message.media_group_id === undefined ? {} : { mediaGroupId: message.media_group_id }),
    ...(message.invoice === undefined ? {} : { invoice: message.invoice }),
    ...(message.successful_payment === undefined
      ? {}
      : { successfulPayment: message.successful_payment }),
    ...(message.refunded_payment === undefined
      ? {}
      : { refundedPayment: message.refunded_payment }),
    ...(message.reply_to_message === undefined
      ? {}
      : { replyToMessageId: message.reply_to_message.message_id }),
    editCount: stored.history.length,
    previousVersions: stored.history.map(({ message: old }) => ({
      ...(old.text === undefined ? {} : { text: old.text }),
      ...(old.caption === undefined ? {} : { caption: old.caption }),
    })),
    deleted: stored.deleted,
    sendOptions: stored.sendOptions,
    revision: stored.revision,
    raw: message,
  };
}

export function mediaOf(message: Message): MediaInfo | undefined {
  if (message.photo !== undefined) {
    const largest = message.photo.at(-1);
    if (largest === undefined) return undefined;
    return {
      kind: 'photo',
      fileId: largest.file_id,
      fileUniqueId: largest.file_unique_id,
      width: largest.width,
      height: largest.height,
      ...(largest.file_size === undefined ? {} : { fileSize: largest.file_size }),
    };
  }
  // An animation message also carries a `document`; the animation is what users see.
  const candidates: Array<[MediaKind, Record<string, unknown> | undefined]> = [
    ['video', message.video as Record<string, unknown> | undefined],
    ['animation', message.animation as Record<string, unknown> | undefined],
    ['audio', message.audio as Record<string, unknown> | undefined],
    ['voice', message.voice as Record<string, unknown> | undefined],
    ['video_note', message.video_note as Record<string, unknown> | undefined],
    ['sticker', message.sticker as Record<string, unknown> | undefined],
    ['document', message.document as Record<string, unknown> | undefined],
  ];
  for (const [kind, file] of candidates) {
    if (file === undefined) continue;
    const thumbnail = file.thumbnail as
      { file_id: string; width: number; height: number } | undefined;
    const pick = <T>(key: string): T | undefined => file[key] as T | undefined;
    const info: Record<string, unknown> = {
      kind,
      fileId: pick<string>('file_id'),
      fileUniqueId: pick<string>('file_unique_id'),
      fileSize: pick<number>('file_size'),
      fileName: pick<string>('file_name'),
      mimeType: pick<string>('mime_type'),
      width: pick<number>('width'),
      height: pick<number>('height'),
      duration: pick<number>('duration'),
      thumbnail:
        thumbnail === undefined
          ? undefined
          : { fileId: thumbnail.file_id, width: thumbnail.width, height: thumbnail.height },
    };
    for (const key of Object.keys(info)) if (info[key] === undefined) delete info[key];
    return info as unknown as MediaInfo;
  }
  return undefined;
}
