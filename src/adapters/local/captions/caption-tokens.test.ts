import { describe, expect, it } from 'vitest';
import type { WordTiming } from '../../../ports/speech-synthesizer.js';
import { toSrt } from '../../shotstack/srt.js';
import { buildAssSubtitles, groupCaptions } from './ass-subtitles.js';
import { captionTokens, captionWidth, joinCaption } from './caption-tokens.js';
import { splitIntoWords } from '../speech/speech-words.js';

// Speech providers time "words" between spaces; Chinese and Japanese have none, so a whole clause
// came out as one caption token, wider than the screen and highlighted at once.

const word = (text: string, start: number, end: number): WordTiming => ({ word: text, start, end });
const texts = (tokens: readonly { word: string }[]) => tokens.map((token) => token.word);

describe('caption tokens', () => {
  it('splits a Chinese word into its characters, punctuation kept with the character before it', () => {
    const [only] = splitIntoWords('我们的新产品非常好，快来试试吧！').map((text) =>
      word(text, 0, 3.9),
    );
    const tokens = captionTokens([only!]);
    expect(texts(tokens)).toEqual([
      '我',
      '们',
      '的',
      '新',
      '产',
      '品',
      '非',
      '常',
      '好，',
      '快',
      '来',
      '试',
      '试',
      '吧！',
    ]);
    expect(tokens.map((token) => token.glued)).toEqual([false, ...Array<boolean>(13).fill(true)]);
    expect(joinCaption(tokens)).toBe('我们的新产品非常好，快来试试吧！');
  });

  it('shares the word’s time among its syllables, contiguous, from its start to its end', () => {
    const tokens = captionTokens([word('我们的新产品', 1, 2.2)]);
    expect(tokens[0]?.start).toBe(1);
    expect(tokens.at(-1)?.end).toBe(2.2);
    for (const [i, token] of tokens.entries()) {
      expect(token.end - token.start).toBeCloseTo(0.2, 6);
      if (i > 0) expect(token.start).toBeCloseTo(tokens[i - 1]!.end, 9);
    }
  });

  it('keeps a Latin brand and a number whole inside Chinese, weighted by their length', () => {
    const tokens = captionTokens([word('新iPhone15很好', 0, 1)]);
    expect(texts(tokens)).toEqual(['新', 'iPhone15', '很', '好']);
    // iPhone15: 8 letters and digits, about three syllables.
    expect(tokens[1]!.end - tokens[1]!.start).toBeCloseTo(3 / 6, 6);
  });

  it('reads small kana with the kana before them and keeps Japanese brackets with their text', () => {
    expect(texts(captionTokens([word('「ちょっと」試してください。', 0, 2)]))).toEqual([
      '「ちょ',
      'っ',
      'と」',
      '試',
      'し',
      'て',
      'く',
      'だ',
      'さ',
      'い。',
    ]);
  });

  it('leaves words of other scripts alone, Korean (written with spaces) included', () => {
    const input = [
      word('Новые', 0, 0.5),
      word('кроссовки!', 0.5, 1),
      word('Buy', 1, 1.2),
      word('새로운', 1.2, 1.6),
    ];
    expect(captionTokens(input)).toEqual(input.map((w) => ({ ...w, glued: false })));
  });

  it('measures wide characters as two letters', () => {
    expect(captionWidth('我们')).toBe(4);
    expect(captionWidth('好，')).toBe(4);
    expect(captionWidth('Buy')).toBe(3);
  });
});

describe('captions of a Chinese script', () => {
  const script = '我们的新产品非常好，快来试试吧！现在就买。';
  const words = splitIntoWords(script).map((text, i) => word(text, i * 5, i * 5 + 5.2));

  it('are lines of at most twelve characters, a new line after each sentence, nothing lost', () => {
    const captions = groupCaptions(words, { maxWordsPerCaption: 3, maxCharsPerCaption: 24 });
    const lines = captions.map((caption) => joinCaption(caption));
    expect(lines).toEqual(['我们的新产品非常好，快来', '试试吧！', '现在就买。']);
    for (const line of lines) expect(captionWidth(line)).toBeLessThanOrEqual(24);
    expect(lines.join('')).toBe(script);
  });

  it('highlight one character at a time in the karaoke track', () => {
    const events = buildAssSubtitles(words)
      .split('\n')
      .filter((line) => line.startsWith('Dialogue:'));
    expect(events).toHaveLength([...script].filter((c) => /\p{Script=Han}/u.test(c)).length);
    expect(events[0]).toContain('{\\c&H001FD2FF}我{\\r}们的新产品非常好，快来');
    expect(events[1]).toContain('我{\\c&H001FD2FF}们{\\r}的新产品');
  });

  it('come out as SRT lines without spaces between the characters', () => {
    const srt = toSrt(words);
    expect(srt).toContain('我们的新产品非常好，快来');
    expect(srt).not.toMatch(/[\p{Script=Han}] [\p{Script=Han}]/u);
  });

  it('leave the grouping of space-separated scripts as it was', () => {
    const latin = ['Fresh', 'bread', 'every', 'morning,', 'baked', 'with', 'love.'].map((text, i) =>
      word(text, i, i + 0.8),
    );
    expect(
      groupCaptions(latin, { maxWordsPerCaption: 3, maxCharsPerCaption: 24 }).map((c) =>
        joinCaption(c),
      ),
    ).toEqual(['Fresh bread every', 'morning, baked with', 'love.']);
  });
});
