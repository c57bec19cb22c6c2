import type { MessageEntity } from 'grammy/types';
import {
  byteOffset,
  charAt,
  checkedLink,
  EntityParseError,
  hasLoneSurrogate,
  isSpace,
  sortEntities,
  type FormattedText,
} from './entity-parsing.js';

const supportedTags = new Set([
  'a',
  'b',
  'strong',
  'i',
  'em',
  's',
  'strike',
  'del',
  'u',
  'ins',
  'tg-spoiler',
  'tg-emoji',
  'span',
  'pre',
  'code',
  'blockquote',
]);

interface OpenTag {
  readonly tag: string;
  readonly argument: string;
  readonly offset: number;
}

/** A pre/code pair merges into one `pre` with a language, so code keeps its language until then. */
type DraftEntity = MessageEntity & { codeLanguage?: string };

/**
 * Telegram's parse_mode=HTML, following tdlib's parser: only the documented tags, attributes
 * parsed loosely, named entities limited to &lt; &gt; &amp; &quot; (any other `&` stays literal),
 * and the same error texts, because injection tests assert on them.
 */
export function parseHtml(source: string): FormattedText {
  let out = '';
  const entities: DraftEntity[] = [];
  const open: OpenTag[] = [];
  const at = (i: number): string => charAt(source, i);
  const fail = (message: string): never => {
    throw new EntityParseError(message);
  };

  for (let i = 0; i < source.length; i++) {
    const c = source[i] ?? '';
    if (c === '&') {
      const decoded = decodeHtmlEntity(source, i);
      if (decoded !== undefined) {
        out += String.fromCodePoint(decoded.codePoint);
        i = decoded.next - 1;
        continue;
      }
    }
    if (c !== '<') {
      out += c;
      continue;
    }

    const begin = i++;
    if (at(i) !== '/') {
      while (!isSpace(at(i)) && at(i) !== '>') i++;
      if (at(i) === '\0') fail(`Unclosed start tag at byte offset ${byteOffset(source, begin)}`);
      const tag = source.slice(begin + 1, i).toLowerCase();
      if (!supportedTags.has(tag))
        fail(`Unsupported start tag "${tag}" at byte offset ${byteOffset(source, begin)}`);

      let argument = '';
      while (at(i) !== '>') {
        while (at(i) !== '\0' && isSpace(at(i))) i++;
        if (at(i) === '>') break;
        const nameBegin = i;
        while (!isSpace(at(i)) && !'=>/"\''.includes(at(i))) i++;
        const attribute = source.slice(nameBegin, i);
        if (attribute === '')
          fail(
            `Empty attribute name in the tag "${tag}" at byte offset ${byteOffset(source, begin)}`,
          );
        while (at(i) !== '\0' && isSpace(at(i))) i++;
        if (at(i) !== '=') {
          if (at(i) === '\0')
            fail(`Unclosed start tag "${tag}" at byte offset ${byteOffset(source, begin)}`);
          if (tag === 'blockquote' && attribute === 'expandable') argument = '1';
          continue;
        }
        i++;
        while (at(i) !== '\0' && isSpace(at(i))) i++;
        if (at(i) === '\0')
          fail(`Unclosed start tag "${tag}" at byte offset ${byteOffset(source, begin)}`);

        let value = '';
        if (at(i) !== "'" && at(i) !== '"') {
          const tokenBegin = i;
          while (/[A-Za-z0-9.-]/.test(at(i))) i++;
          value = source.slice(tokenBegin, i).toLowerCase();
          if (!isSpace(at(i)) && at(i) !== '>')
            fail(`Unexpected end of name token at byte offset ${byteOffset(source, tokenBegin)}`);
        } else {
          const quote = at(i++);
          while (at(i) !== quote && at(i) !== '\0') {
            if (at(i) === '&') {
              const decoded = decodeHtmlEntity(source, i);
              if (decoded !== undefined) {
                value += String.fromCodePoint(decoded.codePoint);
                i = decoded.next;
                continue;
              }
            }
            value += at(i++);
          }
          if (at(i) === quote) i++;
        }
        if (at(i) === '\0') fail(`Unclosed start tag at byte offset ${byteOffset(source, begin)}`);

        if (tag === 'a' && attribute === 'href') argument = value;
        else if (tag === 'code' && attribute === 'class' && value.startsWith('language-'))
          argument = value.slice(9);
        else if (tag === 'span' && attribute === 'class' && value.startsWith('tg-'))
          argument = value.slice(3);
        else if (tag === 'tg-emoji' && attribute === 'emoji-id') argument = value;
        else if (tag === 'blockquote' && attribute === 'expandable') argument = '1';
      }
      if (tag === 'span' && argument !== 'spoiler') {
        fail(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(source, begin)}`);
      }
      open.push({ tag, argument, offset: out.length });
      continue;
    }

    const top = open.at(-1);
    if (top === undefined)
      return fail(`Unexpected end tag at byte offset ${byteOffset(source, begin)}`);
    while (!isSpace(at(i)) && at(i) !== '>') i++;
    const endTag = source.slice(begin + 2, i).toLowerCase();
    while (isSpace(at(i)) && at(i) !== '\0') i++;
    if (at(i) !== '>') fail(`Unclosed end tag at byte offset ${byteOffset(source, begin)}`);
    if (endTag !== '' && endTag !== top.tag) {
      fail(
        `Unmatched end tag at byte offset ${byteOffset(source, begin)}, expected "</${top.tag}>", found "</${endTag}>"`,
      );
    }
    if (out.length > top.offset) closeEntity(top, out, entities);
    open.pop();
  }

  const unclosed = open.at(-1);
  if (unclosed !== undefined)
    fail(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
  if (hasLoneSurrogate(out)) {
    fail(
      'Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units',
    );
  }
  const finished: MessageEntity[] = entities.map(
    ({ codeLanguage: _language, ...entity }) => entity,
  );
  return { text: out, entities: sortEntities(finished) };
}

function closeEntity(top: OpenTag, out: string, entities: DraftEntity[]): void {
  const offset = top.offset;
  const length = out.length - offset;
  const last = entities.at(-1);
  const sameRange = last !== undefined && last.offset === offset && last.length === length;
  switch (top.tag) {
    case 'i':
    case 'em':
      entities.push({ type: 'italic', offset, length });
      return;
    case 'b':
    case 'strong':
      entities.push({ type: 'bold', offset, length });
      return;
    case 's':
    case 'strike':
    case 'del':
      entities.push({ type: 'strikethrough', offset, length });
      return;
    case 'u':
    case 'ins':
      entities.push({ type: 'underline', offset, length });
      return;
    case 'tg-spoiler':
    case 'span':
      entities.push({ type: 'spoiler', offset, length });
      return;
    case 'tg-emoji':
      if (!/^\d+$/.test(top.argument) || /^0+$/.test(top.argument)) {
        throw new EntityParseError('Invalid custom emoji identifier specified');
      }
      entities.push({ type: 'custom_emoji', offset, length, custom_emoji_id: top.argument });
      return;
    case 'a': {
      const url = checkedLink(top.argument === '' ? out.slice(offset) : top.argument);
      if (url !== undefined) entities.push({ type: 'text_link', offset, length, url });
      return;
    }
    case 'pre':
      if (sameRange && last.type === 'code' && last.codeLanguage) {
        entities[entities.length - 1] = {
          type: 'pre',
          offset,
          length,
          language: last.codeLanguage,
        };
      } else {
        entities.push({ type: 'pre', offset, length });
      }
      return;
    case 'code':
      if (sameRange && last.type === 'pre' && top.argument !== '') {
        entities[entities.length - 1] = { type: 'pre', offset, length, language: top.argument };
      } else {
        entities.push(
          top.argument === ''
            ? { type: 'code', offset, length }
            : { type: 'code', offset, length, codeLanguage: top.argument },
        );
      }
      return;
    case 'blockquote':
      entities.push({
        type: top.argument === '' ? 'blockquote' : 'expandable_blockquote',
        offset,
        length,
      });
      return;
  }
}

interface DecodedEntity {
  readonly codePoint: number;
  readonly next: number;
}

/** Only numeric references and four named ones; anything else leaves the `&` as text. */
function decodeHtmlEntity(source: string, pos: number): DecodedEntity | undefined {
  let end = pos + 1;
  let codePoint = 0;
  if (charAt(source, pos + 1) === '#') {
    end++;
    if (charAt(source, pos + 2) === 'x') {
      end++;
      while (/[0-9A-Fa-f]/.test(charAt(source, end)))
        codePoint = codePoint * 16 + Number.parseInt(charAt(source, end++), 16);
    } else {
      while (/[0-9]/.test(charAt(source, end)))
        codePoint = codePoint * 10 + Number(charAt(source, end++));
    }
    if (codePoint === 0 || codePoint >= 0x10ffff || end - pos >= 10) return undefined;
  } else {
    while (/[A-Za-z]/.test(charAt(source, end))) end++;
    const name = source.slice(pos + 1, end);
    const named: Record<string, number> = { lt: 0x3c, gt: 0x3e, amp: 0x26, quot: 0x22 };
    const value = named[name];
    if (value === undefined) return undefined;
    codePoint = value;
  }
  return { codePoint, next: charAt(source, end) === ';' ? end + 1 : end };
}
