import type { MessageEntity } from 'grammy/types';

/** Text after a parse_mode was applied: markup removed, entities in UTF-16 code units. */
export interface FormattedText {
  readonly text: string;
  readonly entities: MessageEntity[];
}

/** A parse_mode syntax error; its message is what Telegram appends to "can't parse entities: ". */
export class EntityParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EntityParseError';
  }
}

/** Telegram reports positions in UTF-8 bytes of the original text, not in characters. */
export function byteOffset(source: string, index: number): number {
  return Buffer.byteLength(source.slice(0, index), 'utf8');
}

/** Reads past the end as NUL, like tdlib's C strings, so look-ahead needs no bounds checks. */
export function charAt(source: string, index: number): string {
  return index < source.length ? (source[index] ?? '\0') : '\0';
}

export function isSpace(ch: string): boolean {
  return (
    ch === ' ' ||
    ch === '\t' ||
    ch === '\r' ||
    ch === '\n' ||
    ch === '\v' ||
    ch === '\f' ||
    ch === '\0'
  );
}

const allowedSchemes = new Set(['http', 'https', 'tg', 'ton', 'tonsite']);

/**
 * Approximates tdlib's link check: a link with an unusable scheme (javascript:, data:, file:)
 * is silently dropped — the text stays, the entity goes — rather than rejected.
 */
export function checkedLink(raw: string): string | undefined {
  const url = raw.trim();
  if (url === '' || /\s/.test(url)) return undefined;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1];
  if (scheme !== undefined) {
    if (!allowedSchemes.has(scheme.toLowerCase())) return undefined;
    if (/^https?:$/i.test(`${scheme}:`) && !/^https?:\/\/[^/?#]+/i.test(url)) return undefined;
    return url;
  }
  return /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+([/?#].*)?$/.test(url) ? `http://${url}` : undefined;
}

/** tdlib orders entities by offset, then outer (longer) first. */
export function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
}

/** Lone surrogates (e.g. from `&#xD800;`) are not valid text. */
export function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}
