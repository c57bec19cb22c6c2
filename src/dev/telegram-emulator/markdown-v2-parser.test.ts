import { describe, expect, it } from 'vitest';
import { EntityParseError } from './entity-parsing.js';
import { parseMarkdown } from './markdown-parser.js';
import { parseMarkdownV2 } from './markdown-v2-parser.js';

const errorOf = (parse: (source: string) => unknown, source: string): string => {
  try {
    parse(source);
  } catch (caught) {
    if (caught instanceof EntityParseError) return caught.message;
    throw caught;
  }
  throw new Error(`parsed without error: ${source}`);
};

describe('parseMarkdownV2', () => {
  it('parses the documented entities', () => {
    const parsed = parseMarkdownV2(
      '*b* _i_ __u__ ~s~ ||p|| `c` [l](https://example.com) ![e](tg://emoji?id=5368324170671202286)',
    );
    expect(parsed.text).toBe('b i u s p c l e');
    expect(parsed.entities).toEqual([
      { type: 'bold', offset: 0, length: 1 },
      { type: 'italic', offset: 2, length: 1 },
      { type: 'underline', offset: 4, length: 1 },
      { type: 'strikethrough', offset: 6, length: 1 },
      { type: 'spoiler', offset: 8, length: 1 },
      { type: 'code', offset: 10, length: 1 },
      { type: 'text_link', offset: 12, length: 1, url: 'https://example.com' },
      { type: 'custom_emoji', offset: 14, length: 1, custom_emoji_id: '5368324170671202286' },
    ]);
  });

  it('parses pre blocks with a language and drops the newline after the fence', () => {
    expect(parseMarkdownV2('```ts\nconst a = 1;\n```')).toEqual({
      text: 'const a = 1;\n',
      entities: [{ type: 'pre', offset: 0, length: 13, language: 'ts' }],
    });
  });

  it('parses block quotes, including expandable ones', () => {
    expect(parseMarkdownV2('>one\n>two\nafter')).toEqual({
      text: 'one\ntwo\nafter',
      entities: [{ type: 'blockquote', offset: 0, length: 8 }],
    });
    // The leading ** is an empty bold entity, which Telegram drops.
    expect(parseMarkdownV2('**>hidden\n>more||')).toEqual({
      text: 'hidden\nmore',
      entities: [{ type: 'expandable_blockquote', offset: 0, length: 11 }],
    });
  });

  it('accepts escaped reserved characters', () => {
    expect(parseMarkdownV2('Price: 9\\.99 \\(incl\\. VAT\\) \\- 100\\%')).toEqual({
      text: 'Price: 9.99 (incl. VAT) - 100%',
      entities: [],
    });
  });

  it('rejects unescaped reserved characters and unclosed entities like Telegram', () => {
    expect(errorOf(parseMarkdownV2, 'Price: 9.99')).toBe(
      "Character '.' is reserved and must be escaped with the preceding '\\'",
    );
    expect(errorOf(parseMarkdownV2, 'Hi John_Doe')).toBe(
      "Can't find end of Italic entity at byte offset 7",
    );
    expect(errorOf(parseMarkdownV2, 'Привет *мир')).toBe(
      "Can't find end of Bold entity at byte offset 13",
    );
    expect(errorOf(parseMarkdownV2, '[link](https://example.com')).toBe(
      "Can't find end of a URL at byte offset 7",
    );
    expect(errorOf(parseMarkdownV2, 'a > b')).toBe(
      "Character '>' is reserved and must be escaped with the preceding '\\'",
    );
  });
});

describe('parseMarkdown (legacy)', () => {
  it('parses the four markers and links', () => {
    expect(parseMarkdown('*b* _i_ `c` [l](https://example.com) snake\\_case')).toEqual({
      text: 'b i c l snake_case',
      entities: [
        { type: 'bold', offset: 0, length: 1 },
        { type: 'italic', offset: 2, length: 1 },
        { type: 'code', offset: 4, length: 1 },
        { type: 'text_link', offset: 6, length: 1, url: 'https://example.com' },
      ],
    });
  });

  it('rejects an unclosed marker', () => {
    expect(errorOf(parseMarkdown, 'snake_case')).toBe(
      "Can't find end of the entity starting at byte offset 5",
    );
  });
});
