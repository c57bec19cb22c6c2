// Stream names are part of the stored data: changing a prefix orphans every existing stream.

const USER_PREFIX = 'user-';
const GENERATION_PREFIX = 'generation-';

export type StreamKind = 'user' | 'generation';

export type ParsedStreamName =
  | { readonly kind: 'user'; readonly telegramId: number }
  | { readonly kind: 'generation'; readonly generationId: string };

export function userStream(telegramId: number): string {
  if (!Number.isSafeInteger(telegramId) || telegramId <= 0) {
    throw new RangeError(`A Telegram user id is a positive integer, got ${String(telegramId)}`);
  }
  return `${USER_PREFIX}${telegramId}`;
}

export function generationStream(generationId: string): string {
  if (generationId.length === 0) throw new RangeError('A generation id must not be empty');
  return `${GENERATION_PREFIX}${generationId}`;
}

/** The aggregate a stream belongs to, or null for streams this domain does not own. */
export function parseStreamName(streamName: string): ParsedStreamName | null {
  if (streamName.startsWith(USER_PREFIX)) {
    const rest = streamName.slice(USER_PREFIX.length);
    // Only the canonical spelling counts, so `user-007` cannot alias `user-7`.
    if (!/^[1-9]\d*$/.test(rest)) return null;
    const telegramId = Number(rest);
    return Number.isSafeInteger(telegramId) ? { kind: 'user', telegramId } : null;
  }
  if (streamName.startsWith(GENERATION_PREFIX)) {
    const generationId = streamName.slice(GENERATION_PREFIX.length);
    return generationId.length > 0 ? { kind: 'generation', generationId } : null;
  }
  return null;
}
