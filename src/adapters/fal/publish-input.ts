import { randomUUID } from 'node:crypto';
import { extname } from 'node:path';
import { contentTypeForName } from '../../ports/file-storage/content-types.js';
import type { FileStorage } from '../../ports/file-storage/file-storage.js';

/** fal may sit in its queue a long while before it fetches the inputs (two hours or more). */
export const inputLinkTtlSec = 3 * 3600;

/**
 * Puts a local file into our storage under `tmp/` (swept by the cleanup job) and returns a
 * presigned link fal can fetch. Telegram file URLs carry the bot token, so inputs always travel
 * through our storage, never straight from Telegram.
 */
export async function publishInput(
  storage: FileStorage,
  path: string,
  name: string,
): Promise<string> {
  const key = `tmp/fal-inputs/${randomUUID()}/${name}${extname(path).toLowerCase()}`;
  await storage.putFile(key, path, contentTypeForName(path));
  return storage.signedUrl(key, inputLinkTtlSec);
}
