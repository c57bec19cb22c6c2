import type { Message, PhotoSize } from 'grammy/types';
import type { StoredFile } from '../file-store.js';

export type SendableMedia = 'photo' | 'video' | 'animation' | 'audio' | 'voice' | 'document';

export interface MediaMeta {
  readonly width?: number | undefined;
  readonly height?: number | undefined;
  readonly duration?: number | undefined;
  readonly performer?: string | undefined;
  readonly title?: string | undefined;
  readonly thumbnail?: StoredFile | undefined;
}

/** The content fields a media message carries, as the Bot API returns them. */
export function mediaFields(
  kind: SendableMedia,
  file: StoredFile,
  meta: MediaMeta,
): Partial<Message> {
  const common = {
    file_id: file.fileId,
    file_unique_id: file.fileUniqueId,
    file_size: file.size,
  };
  const named = {
    ...(file.fileName === undefined ? {} : { file_name: file.fileName }),
    ...(file.mimeType === undefined ? {} : { mime_type: file.mimeType }),
  };
  const thumbnail = meta.thumbnail === undefined ? {} : { thumbnail: photoSize(meta.thumbnail) };
  // Telegram probes real media; the emulator reports what the bot declared (0 if nothing), so
  // a bot that forgets width/height/duration is visible in tests.
  const frame = { width: meta.width ?? 0, height: meta.height ?? 0, duration: meta.duration ?? 0 };
  switch (kind) {
    case 'photo':
      return { photo: [photoSize(file)] };
    case 'video':
      return { video: { ...common, ...frame, ...named, ...thumbnail } };
    case 'animation': {
      const animation = { ...common, ...frame, ...named, ...thumbnail };
      // Animations arrive with a twin `document`, as on Telegram.
      return { animation, document: { ...common, ...named, ...thumbnail } };
    }
    case 'audio':
      return {
        audio: {
          ...common,
          duration: meta.duration ?? 0,
          ...(meta.performer === undefined ? {} : { performer: meta.performer }),
          ...(meta.title === undefined ? {} : { title: meta.title }),
          ...named,
          ...thumbnail,
        },
      };
    case 'voice':
      return {
        voice: { ...common, duration: meta.duration ?? 0, mime_type: file.mimeType ?? 'audio/ogg' },
      };
    case 'document':
      return { document: { ...common, ...named, ...thumbnail } };
  }
}

export function photoSize(file: StoredFile): PhotoSize {
  return {
    file_id: file.fileId,
    file_unique_id: file.fileUniqueId,
    width: file.dimensions?.width ?? 0,
    height: file.dimensions?.height ?? 0,
    file_size: file.size,
  };
}

const mediaKeys = [
  'photo',
  'video',
  'animation',
  'audio',
  'voice',
  'document',
  'video_note',
  'sticker',
] as const;

export function hasMedia(message: Message): boolean {
  return mediaKeys.some((key) => message[key] !== undefined);
}

/** A copy of the message without its media and caption, for editMessageMedia. */
export function withoutMedia(message: Message): Message {
  const copy: Record<string, unknown> = { ...message };
  for (const key of [...mediaKeys, 'caption', 'caption_entities']) delete copy[key];
  return copy as unknown as Message;
}
