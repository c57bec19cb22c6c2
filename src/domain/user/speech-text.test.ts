import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { isSpeakable, toSpeechText } from './speech-text.js';

describe('toSpeechText', () => {
  it.each([
    ['plain text stays', 'Привет, мир! Как дела?', 'Привет, мир! Как дела?'],
    [
      'bold, italic, strike, code, spoiler',
      '**Жирный** _курсив_ ~~зачёркнут~~ `код` ||спойлер||',
      'Жирный курсив зачёркнут код спойлер',
    ],
    [
      'links read as their text',
      'Go to [our shop](https://example.com/x_y) now',
      'Go to our shop now',
    ],
    ['images read as alt text', '![a red mug](mug.png) for you', 'a red mug for you'],
    [
      'headings, quotes and bullets',
      '# Title\n> quoted line\n- first\n* second\n+ third',
      'Title quoted line first second third',
    ],
    ['numbered lists keep numbers', '1. one\n2. two', '1. one 2. two'],
    ['code fences keep the code words', '```js\nbuy now\n```', 'buy now'],
    ['horizontal rules vanish', 'above\n---\nbelow', 'above below'],
    ['joined words get a pause', 'snake_case and 2*3', 'snake case and 2 3'],
    [
      'MarkdownV2 escapes keep the literal',
      'Price\\: 5\\.99\\! \\*not bold\\*',
      'Price: 5.99! *not bold*',
    ],
    ['HTML tags', '<b>Big</b> <i>sale</i><br>today<p>only</p>', 'Big sale today only'],
    ['inline tags inside a word', '<b>wo</b>rd', 'word'],
    ['HTML entities', 'Tom &amp; Jerry &lt;3 &#8364;5 &#x41;', 'Tom & Jerry <3 €5 A'],
    ['HTML comments', 'a<!-- hidden -->b', 'a b'],
    ['emoji', 'Great 🔥🔥 deal 😀!', 'Great deal !'],
    ['ZWJ family and skin tones', 'Family 👨‍👩‍👧‍👦 and 👍🏽 ok', 'Family and ok'],
    ['flags', 'Made in 🇷🇺 and 🇬🇧', 'Made in and'],
    ['keycaps keep the digit', 'Step 1️⃣ then 2️⃣', 'Step 1 then 2'],
    ['variation selectors', 'Love ❤️ it ☺︎', 'Love it'],
    [
      'zero-width characters join, not split',
      'zero\u200Bwidth\u200Cjoin\u2060er\uFEFF',
      'zerowidthjoiner',
    ],
    ['bidi controls', '\u202Ehello\u202C \u2067world\u2069', 'hello world'],
    ['control characters', 'bell\u0007 null\u0000 tab\there\r\nnext', 'bell null tab here next'],
    ['whitespace collapses', '  many   spaces\n\n\nand lines  ', 'many spaces and lines'],
    ['Arabic (RTL) with harakat', 'مَرْحَبًا بِكُم! 😀', 'مَرْحَبًا بِكُم!'],
    ['Hebrew (RTL)', 'שלום עולם, מה נשמע?', 'שלום עולם, מה נשמע?'],
    ['Devanagari combining marks', 'नमस्ते दुनिया।', 'नमस्ते दुनिया।'],
    ['CJK punctuation', '你好，世界！「テスト」', '你好，世界！「テスト」'],
    [
      'currency, maths, degrees, numero',
      'Цена 100 ₽ = $1.5 + 20% при 25°C, № 7',
      'Цена 100 ₽ = $1.5 + 20% при 25°C, № 7',
    ],
    ['decomposed input is composed', 'e\u0301te\u0301', 'été'],
  ])('%s', (_, input, expected) => {
    expect(toSpeechText(input)).toBe(expected);
  });

  it('gives an empty string for markup and emoji alone', () => {
    expect(toSpeechText('**__~~ 😀 🇺🇸 \u200B\n\t')).toBe('');
  });

  test.prop([fc.string({ unit: 'binary', maxLength: 200 })])(
    'never lets emoji, controls or zero-width through',
    (input) => {
      const out = toSpeechText(input);
      expect(out).not.toMatch(/[\p{Extended_Pictographic}\p{Cc}\p{Cf}\p{Co}\p{Cs}\u{fe0f}]/u);
      expect(out).toBe(out.trim());
      expect(out).not.toMatch(/\s{2}|[\n\t]/u);
    },
  );

  test.prop([fc.string({ unit: 'grapheme', maxLength: 200 })])(
    'keeps every letter of plain prose',
    (input) => {
      // A few letters are pictographs too (ℹ U+2139): the emoji rule above removes those on
      // purpose.
      const prose = input.replace(/[^\p{L}\p{N} ,.!?]|\p{Extended_Pictographic}/gu, '');
      expect(toSpeechText(prose)).toBe(prose.normalize('NFC').replace(/\s+/gu, ' ').trim());
    },
  );
});

describe('isSpeakable', () => {
  it('needs a letter or a digit', () => {
    expect(isSpeakable('...!?')).toBe(false);
    expect(isSpeakable('')).toBe(false);
    expect(isSpeakable('ok')).toBe(true);
    expect(isSpeakable('42')).toBe(true);
    expect(isSpeakable('שלום')).toBe(true);
  });
});
