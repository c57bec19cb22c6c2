import type { MessageEntity } from 'grammy/types';
import {
  byteOffset,
  charAt,
  checkedLink,
  EntityParseError,
  isSpace,
  sortEntities,
  type FormattedText,
} from './entity-parsing.js';

type Kind =
  | 'bold'
  | 'italic'
  | 'underline'
  | 'strikethrough'
  | 'spoiler'
  | 'text_link'
  | 'custom_emoji'
  | 'code'
  | 'pre'
  | 'blockquote';

interface OpenEntity {
  kind: Kind;
  /** Language for ```lang blocks. */
  argument: string;
  /** UTF-16 offset in the output. */
  offset: number;
  /** Index in the source where the markup began; reported as a byte offset. */
  sourceIndex: number;
}

/** tdlib's type names, which surface in "Can't find end of X entity" errors. */
function tdlibName(entity: OpenEntity): string {
  switch (entity.kind) {
    case 'bold':
      return 'Bold';
    case 'italic':
      return 'Italic';
    case 'underline':
      return 'Underline';
    case 'strikethrough':
      return 'Strikethrough';
    case 'spoiler':
      return 'Spoiler';
    case 'text_link':
      return 'TextUrl';
    case 'custom_emoji':
      return 'CustomEmoji';
    case 'code':
      return 'Code';
    case 'pre':
      return entity.argument === '' ? 'Pre' : 'PreCode';
    case 'blockquote':
      return 'BlockQuote';
  }
}

const reservedOutsideCode = '_*[]()~`>#+-=|{}.!\n';

/**
 * Telegram's parse_mode=MarkdownV2, following tdlib: every reserved character outside an entity
 * must be escaped, unclosed entities are errors, and the error texts match Telegram's.
 */
export function parseMarkdownV2(source: string): FormattedText {
  let out = '';
  const entities: MessageEntity[] = [];
  const open: OpenEntity[] = [];
  let haveBlockquote = false;
  let canStartBlockquote = true;
  const at = (i: number): string => charAt(source, i);
  const fail = (message: string): never => {
    throw new EntityParseError(message);
  };
  const reservedError = (ch: string): never =>
    fail(`Character '${ch}' is reserved and must be escaped with the preceding '\\'`);
  const unclosedError = (entity: OpenEntity): never =>
    fail(
      `Can't find end of ${tdlibName(entity)} entity at byte offset ${byteOffset(source, entity.sourceIndex)}`,
    );
  const isEscapable = (ch: string): boolean => ch.charCodeAt(0) > 0 && ch.charCodeAt(0) <= 126;

  /** Reads `(url)` right after a closing `]`; returns the url and leaves `i` on the `)`. */
  const readParenthesised = (start: number, what: string): { url: string; end: number } => {
    let i = start + 2;
    const urlBegin = i;
    let url = '';
    while (i < source.length && source[i] !== ')') {
      if (source[i] === '\\' && isEscapable(at(i + 1))) {
        url += at(i + 1);
        i += 2;
        continue;
      }
      url += source[i++];
    }
    if (at(i) !== ')')
      fail(`Can't find end of ${what} at byte offset ${byteOffset(source, urlBegin)}`);
    return { url, end: i };
  };

  for (let i = 0; i < source.length; i++) {
    const c = source[i] ?? '';
    if (c === '\\' && isEscapable(at(i + 1))) {
      i++;
      out += source[i];
      if (source[i] !== '\r') canStartBlockquote = source[i] === '\n';
      continue;
    }

    const top = open.at(-1);
    const reserved =
      top !== undefined && (top.kind === 'code' || top.kind === 'pre') ? '`' : reservedOutsideCode;
    if (!reserved.includes(c)) {
      out += c;
      if (c !== '\r') canStartBlockquote = false;
      continue;
    }

    const isEnd = ((): boolean => {
      if (top === undefined) return false;
      if (haveBlockquote && c === '\n' && (i + 1 === source.length || source[i + 1] !== '>'))
        return true;
      switch (top.kind) {
        case 'bold':
          return c === '*';
        case 'italic':
          return c === '_' && at(i + 1) !== '_';
        case 'code':
          return c === '`';
        case 'pre':
          return c === '`' && at(i + 1) === '`' && at(i + 2) === '`';
        case 'text_link':
        case 'custom_emoji':
          return c === ']';
        case 'underline':
          return c === '_' && at(i + 1) === '_';
        case 'strikethrough':
          return c === '~';
        case 'spoiler':
          return c === '|' && at(i + 1) === '|';
        case 'blockquote':
          return false;
      }
    })();

    if (!isEnd) {
      const sourceIndex = i;
      let kind: Kind | undefined;
      let argument = '';
      switch (c) {
        case '_':
          if (at(i + 1) === '_') {
            kind = 'underline';
            i++;
          } else {
            kind = 'italic';
          }
          break;
        case '*':
          kind = 'bold';
          break;
        case '~':
          kind = 'strikethrough';
          break;
        case '|':
          if (at(i + 1) !== '|') reservedError(c);
          i++;
          kind = 'spoiler';
          break;
        case '[':
          kind = 'text_link';
          break;
        case '`':
          if (at(i + 1) === '`' && at(i + 2) === '`') {
            i += 3;
            kind = 'pre';
            let languageEnd = i;
            while (!isSpace(at(languageEnd)) && at(languageEnd) !== '`') languageEnd++;
            if (i !== languageEnd && languageEnd < source.length && at(languageEnd) !== '`') {
              argument = source.slice(i, languageEnd);
              i = languageEnd;
            }
            // One newline right after the opening fence belongs to the markup.
            if (at(i) === '\n' || at(i) === '\r') {
              i += (at(i + 1) === '\n' || at(i + 1) === '\r') && at(i) !== at(i + 1) ? 2 : 1;
            }
            i--;
          } else {
            kind = 'code';
          }
          break;
        case '!':
          if (at(i + 1) !== '[') reservedError(c);
          i++;
          kind = 'custom_emoji';
          break;
        case '\n':
          out += '\n';
          canStartBlockquote = true;
          break;
        case '>':
          if (!canStartBlockquote) reservedError(c);
          if (!haveBlockquote) {
            kind = 'blockquote';
            haveBlockquote = true;
          }
          break;
        default:
          reservedError(c);
      }
      if (kind !== undefined) open.push({ kind, argument, offset: out.length, sourceIndex });
      continue;
    }

    // End of an entity.
    let current = top as OpenEntity;
    let type: MessageEntity['type'] = current.kind;
    if (c === '\n' && current.kind !== 'blockquote') {
      // Only "||" right before the line break may end a quote: it marks it expandable.
      const spoilerRightBefore =
        current.kind === 'spoiler' &&
        (current.sourceIndex === i - 2 || (current.sourceIndex === i - 3 && out.endsWith('\r')));
      if (!spoilerRightBefore) unclosedError(current);
      open.pop();
      current = open.at(-1) as OpenEntity;
      if (current.kind !== 'blockquote') unclosedError(current);
      type = 'expandable_blockquote';
    }

    let skip = out.length === current.offset;
    let url: string | undefined;
    let customEmojiId: string | undefined;
    switch (current.kind) {
      case 'underline':
      case 'spoiler':
        i++;
        break;
      case 'pre':
        i += 2;
        break;
      case 'text_link': {
        let target: string;
        if (at(i + 1) !== '(') {
          target = out.slice(current.offset);
        } else {
          const read = readParenthesised(i, 'a URL');
          target = read.url;
          i = read.end;
        }
        url = checkedLink(target);
        if (url === undefined) skip = true;
        break;
      }
      case 'custom_emoji': {
        if (at(i + 1) !== '(') fail('Custom emoji entity must contain a tg://emoji URL');
        const read = readParenthesised(i, 'a custom emoji URL');
        i = read.end;
        const id = /^tg:\/\/emoji\?id=(\d+)$/.exec(read.url)?.[1];
        if (id === undefined || /^0+$/.test(id)) fail('Invalid custom emoji identifier specified');
        customEmojiId = id;
        break;
      }
      case 'blockquote':
        haveBlockquote = false;
        out += source[i];
        canStartBlockquote = true;
        skip = false;
        break;
      default:
        break;
    }

    if (!skip) {
      const offset = current.offset;
      const length = out.length - offset;
      if (url !== undefined) entities.push({ type: 'text_link', offset, length, url });
      else if (customEmojiId !== undefined)
        entities.push({ type: 'custom_emoji', offset, length, custom_emoji_id: customEmojiId });
      else if (current.kind === 'pre') {
        entities.push(
          current.argument === ''
            ? { type: 'pre', offset, length }
            : { type: 'pre', offset, length, language: current.argument },
        );
      } else entities.push({ type, offset, length } as MessageEntity);
    }
    open.pop();
  }

  if (haveBlockquote) {
    let type: 'blockquote' | 'expandable_blockquote' = 'blockquote';
    const last = open.at(-1);
    if (last?.kind === 'spoiler' && last.sourceIndex === source.length - 2) {
      open.pop();
      type = 'expandable_blockquote';
    }
    const quote = open.at(-1);
    if (quote?.kind === 'blockquote') {
      const length = out.length - quote.offset;
      if (length !== 0) entities.push({ type, offset: quote.offset, length });
      open.pop();
    }
  }
  const unclosed = open.at(-1);
  if (unclosed !== undefined) unclosedError(unclosed);

  return { text: out, entities: sortEntities(entities) };
}
