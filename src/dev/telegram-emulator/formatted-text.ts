import type { MessageEntity } from 'grammy/types';
import { badRequest } from './bot-api-error.js';
import { EntityParseError, type FormattedText } from './entity-parsing.js';
import { parseHtml } from './html-parser.js';
import { parseMarkdown } from './markdown-parser.js';
import { parseMarkdownV2 } from './markdown-v2-parser.js';

export const TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;

/**
 * Applies parse_mode (or explicit entities) the way the Bot API does before storing a text or
 * caption: syntax errors become 400 "can't parse entities", surrounding whitespace is trimmed,
 * and the length limit is checked on the result, not on the markup.
 */
export function formatText(
  raw: string,
  parseMode: string | undefined,
  explicitEntities: MessageEntity[] | undefined,
  role: 'text' | 'caption',
): FormattedText {
  let parsed: FormattedText;
  try {
    parsed = applyParseMode(raw, parseMode, explicitEntities);
  } catch (error) {
    if (error instanceof EntityParseError)
      throw badRequest(`can't parse entities: ${error.message}`);
    throw error;
  }
  const trimmed = trim(parsed);
  if (role === 'text') {
    if (trimmed.text === '') throw badRequest('message text is empty');
    if (trimmed.text.length > TEXT_LIMIT) throw badRequest('message is too long');
  } else if (trimmed.text.length > CAPTION_LIMIT) {
    throw badRequest('message caption is too long');
  }
  return trimmed;
}

function applyParseMode(
  raw: string,
  parseMode: string | undefined,
  explicit: MessageEntity[] | undefined,
): FormattedText {
  switch ((parseMode ?? '').toLowerCase()) {
    case '':
      return {
        text: raw,
        entities: (explicit ?? []).filter(
          (e) => e.length > 0 && e.offset >= 0 && e.offset + e.length <= raw.length,
        ),
      };
    case 'html':
      return parseHtml(raw);
    case 'markdownv2':
      return parseMarkdownV2(raw);
    case 'markdown':
      return parseMarkdown(raw);
    default:
      throw badRequest(`unsupported parse_mode`);
  }
}

function trim({ text, entities }: FormattedText): FormattedText {
  const start = text.length - text.trimStart().length;
  const kept = text.trim();
  const end = start + kept.length;
  const shifted: MessageEntity[] = [];
  for (const entity of entities) {
    const from = Math.max(entity.offset, start);
    const to = Math.min(entity.offset + entity.length, end);
    if (to > from) shifted.push({ ...entity, offset: from - start, length: to - from });
  }
  return { text: kept, entities: shifted };
}
