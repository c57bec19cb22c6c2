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

/**
 * Telegram's legacy parse_mode=Markdown (tdlib semantics): `*bold*`, `_italic_`, `` `code` ``,
 * ```` ```pre``` ````, `[text](url)`; no nesting, and an unclosed marker is an error.
 */
export function parseMarkdown(source: string): FormattedText {
  let out = '';
  const entities: MessageEntity[] = [];
  const at = (i: number): string => charAt(source, i);
  const size = source.length;

  for (let i = 0; i < size; i++) {
    const c = source[i] ?? '';
    if (c === '\\' && '_*`['.includes(at(i + 1))) {
      i++;
      out += source[i];
      continue;
    }
    if (!'_*`['.includes(c)) {
      out += c;
      continue;
    }

    const begin = i;
    const endCharacter = c === '[' ? ']' : c;
    let isPre = false;
    let language = '';
    i++;
    if (c === '`' && at(i) === '`' && at(i + 1) === '`') {
      i += 2;
      isPre = true;
      let languageEnd = i;
      while (!isSpace(at(languageEnd)) && at(languageEnd) !== '`') languageEnd++;
      if (i !== languageEnd && languageEnd < size && at(languageEnd) !== '`') {
        language = source.slice(i, languageEnd);
        i = languageEnd;
      }
      if (at(i) === '\n' || at(i) === '\r') {
        i += (at(i + 1) === '\n' || at(i + 1) === '\r') && at(i) !== at(i + 1) ? 2 : 1;
      }
    }

    const offset = out.length;
    while (
      i < size &&
      (at(i) !== endCharacter || (isPre && !(at(i + 1) === '`' && at(i + 2) === '`')))
    ) {
      out += source[i++];
    }
    if (i === size) {
      throw new EntityParseError(
        `Can't find end of the entity starting at byte offset ${byteOffset(source, begin)}`,
      );
    }

    const length = out.length - offset;
    if (length > 0) {
      if (c === '_') entities.push({ type: 'italic', offset, length });
      else if (c === '*') entities.push({ type: 'bold', offset, length });
      else if (c === '`') {
        if (!isPre) entities.push({ type: 'code', offset, length });
        else
          entities.push(
            language === ''
              ? { type: 'pre', offset, length }
              : { type: 'pre', offset, length, language },
          );
      } else {
        let target = source.slice(begin + 1, i);
        if (at(i + 1) === '(') {
          i += 2;
          target = '';
          while (i < size && at(i) !== ')') target += source[i++];
        }
        const url = checkedLink(target);
        if (url !== undefined) entities.push({ type: 'text_link', offset, length, url });
      }
    }
    if (isPre) i += 2;
  }
  return { text: out, entities: sortEntities(entities) };
}
