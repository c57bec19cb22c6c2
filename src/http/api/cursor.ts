import { z } from 'zod';
import { badRequest } from './api-error.js';

const generationCursor = z
  .object({ t: z.string().min(1).max(64), id: z.string().min(1).max(128) })
  .strict();
export type GenerationCursor = z.infer<typeof generationCursor>;

/**
 * Opaque keyset cursor: the last row's sort key. `t` is PostgreSQL's own text of `created_at`, so
 * comparing it back loses no microseconds and no row is skipped or repeated between pages.
 */
export function encodeCursor(cursor: GenerationCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

export function decodeCursor(text: string): GenerationCursor {
  try {
    return generationCursor.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    throw badRequest('query.cursor: not a cursor this API issued');
  }
}
