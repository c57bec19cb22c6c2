import { describe, expect, it } from 'vitest';
import { escapeSsml, splitIntoWords } from './speech-words.js';

describe('splitIntoWords', () => {
  it('splits Cyrillic, Latin, digits and keeps punctuation on its word', () => {
    expect(splitIntoWords('Привет, мир! Это 123 test — ну-ка, v2.0?')).toEqual([
      'Привет,',
      'мир!',
      'Это',
      '123',
      'test —',
      'ну-ка,',
      'v2.0?',
    ]);
  });

  it('glues leading symbols to the first word and keeps every character', () => {
    const text = '« — Скидка 50 % !\n\nтолько\tсегодня… 🎉';
    const words = splitIntoWords(text);
    expect(words[0]).toBe('« — Скидка');
    expect(words.join(' ')).toBe(text.split(/\s+/).join(' '));
  });

  it('finds no words in punctuation only', () => {
    expect(splitIntoWords(' — … !! ')).toEqual([]);
    expect(splitIntoWords('')).toEqual([]);
  });
});

describe('escapeSsml', () => {
  it('escapes markup characters', () => {
    expect(escapeSsml('a<b>&"c"')).toBe('a&lt;b&gt;&amp;&quot;c&quot;');
  });
});
