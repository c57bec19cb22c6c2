import { describe, expect, it } from 'vitest';
import { EntityParseError } from './entity-parsing.js';
import { parseHtml } from './html-parser.js';

const error = (source: string): string => {
  try {
    parseHtml(source);
  } catch (caught) {
    if (caught instanceof EntityParseError) return caught.message;
    throw caught;
  }
  throw new Error(`parsed without error: ${source}`);
};

describe('parseHtml (Telegram parse_mode=HTML)', () => {
  it('turns tags into entities with UTF-16 offsets', () => {
    expect(parseHtml('😀 <b>bold</b> and <i>it</i>')).toEqual({
      text: '😀 bold and it',
      entities: [
        { type: 'bold', offset: 3, length: 4 },
        { type: 'italic', offset: 12, length: 2 },
      ],
    });
  });

  it('supports every documented tag', () => {
    const parsed = parseHtml(
      '<strong>a</strong><em>b</em><u>c</u><ins>d</ins><s>e</s><del>f</del><tg-spoiler>g</tg-spoiler>' +
        '<span class="tg-spoiler">h</span><code>i</code><pre><code class="language-ts">j</code></pre>' +
        '<blockquote>k</blockquote><blockquote expandable>l</blockquote><tg-emoji emoji-id="5368324170671202286">m</tg-emoji>',
    );
    expect(parsed.text).toBe('abcdefghijklm');
    expect(parsed.entities.map((entity) => entity.type)).toEqual([
      'bold',
      'italic',
      'underline',
      'underline',
      'strikethrough',
      'strikethrough',
      'spoiler',
      'spoiler',
      'code',
      'pre',
      'blockquote',
      'expandable_blockquote',
      'custom_emoji',
    ]);
    expect(parsed.entities[9]).toEqual({ type: 'pre', offset: 9, length: 1, language: 'ts' });
  });

  it('decodes the four named entities and numeric ones, and keeps other ampersands', () => {
    expect(parseHtml('&lt;b&gt; &amp; &quot;x&quot; &#128512; &#x41; AT&T &nbsp;').text).toBe(
      '<b> & "x" 😀 A AT&T &nbsp;',
    );
  });

  it('keeps safe links and silently drops unsafe ones', () => {
    expect(parseHtml('<a href="https://example.com/a?b=1&amp;c=2">x</a>').entities).toEqual([
      { type: 'text_link', offset: 0, length: 1, url: 'https://example.com/a?b=1&c=2' },
    ]);
    expect(parseHtml('<a href="javascript:alert(1)">x</a>')).toEqual({ text: 'x', entities: [] });
  });

  it("reports errors with Telegram's wording and byte offsets", () => {
    expect(error('a < b')).toBe('Unsupported start tag "" at byte offset 2');
    expect(error('Привет <script>')).toBe('Unsupported start tag "script" at byte offset 13');
    expect(error('<b>bold')).toBe('Can\'t find end tag corresponding to start tag "b"');
    expect(error('<b>x</i>')).toBe(
      'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"',
    );
    expect(error('</b>')).toBe('Unexpected end tag at byte offset 0');
    expect(error('<b')).toBe('Unclosed start tag at byte offset 0');
    expect(error('<span>x</span>')).toBe(
      'Tag "span" must have class "tg-spoiler" at byte offset 0',
    );
    expect(error('<b/>')).toBe('Unsupported start tag "b/" at byte offset 0');
    expect(error('<b />')).toBe('Empty attribute name in the tag "b" at byte offset 0');
  });

  it('treats user input with markup characters as an injection that fails', () => {
    // A product name like this must be escaped by the bot before it goes into an HTML message.
    expect(() => parseHtml('Your product: <img src=x onerror=alert(1)>')).toThrow(
      'Unsupported start tag "img"',
    );
  });
});
