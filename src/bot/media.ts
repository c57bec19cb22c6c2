import { AppError } from '../errors/app-error.js';
import { createWriteStream } from 'node:fs';
import { basename } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GrammyError, InputFile } from 'grammy';
import type { Message } from 'grammy/types';
import type { ModuleEnv } from './modules/module-env.js';

/** The file id Telegram assigned to the media of a sent message. */
export function fileIdOf(message: Message | true): string | undefined {
  if (message === true) return undefined;
  return (
    message.photo?.at(-1)?.file_id ??
    message.video?.file_id ??
    message.audio?.file_id ??
    message.voice?.file_id ??
    message.document?.file_id ??
    message.animation?.file_id
  );
}

/**
 * Sends a stored file: by its cached Telegram file id when it was uploaded before, else uploaded
 * from storage (and then cached). A stale file id falls back to an upload.
 */
export async function sendStoredMedia(
  env: ModuleEnv,
  key: string,
  sendWith: (media: string | InputFile) => Promise<Message | true>,
): Promise<Message | true> {
  const cached = env.fileIds.get(key);
  if (cached !== undefined) {
    try {
      return await sendWith(cached);
    } catch (error) {
      if (!(
        error instanceof GrammyError &&
        /file identifier|file_id|wrong type/i.test(error.description)
      ))
        throw error;
      env.fileIds.delete(key);
    }
  }
  const stream = await env.deps.storage.get(key);
  const sent = await sendWith(new InputFile(stream, basename(key)));
  const fileId = fileIdOf(sent);
  if (fileId !== undefined) {
    env.fileIds.set(key, fileId);
    if (env.fileIds.size > 5000) env.fileIds.delete(env.fileIds.keys().next().value as string);
  }
  return sent;
}

export class DownloadTooLargeError extends AppError {
  override readonly name = 'DownloadTooLargeError';
  readonly code = 'DOWNLOAD_TOO_LARGE';
  readonly retryable = false;
}

/** Downloads a Telegram file (from getFile's `file_path`) to `dest`, stopping past `maxBytes`. */
export async function downloadTelegramFile(
  env: ModuleEnv,
  filePath: string,
  dest: string,
  maxBytes: number,
): Promise<number> {
  const url = `${env.telegram.apiRoot}/file/bot${env.telegram.token}/${filePath}`;
  const response = await fetch(url);
  // The URL holds the bot token: never put it into an error message or a log line.
  if (!response.ok || !response.body)
    throw new Error(`Telegram file download failed with HTTP ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? 'NaN');
  if (Number.isFinite(declared) && declared > maxBytes)
    throw new DownloadTooLargeError(`${declared} bytes`);
  let received = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      if (received > maxBytes) done(new DownloadTooLargeError(`over ${maxBytes} bytes`));
      else done(null, chunk);
    },
  });
  await pipeline(Readable.fromWeb(response.body), limiter, createWriteStream(dest));
  return received;
}
