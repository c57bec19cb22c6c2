import { describe, expect, it } from 'vitest';
import { formatSrtTime, toSrt } from './srt.js';

describe('formatSrtTime', () => {
  it('writes HH:MM:SS,mmm with rounding to the millisecond', () => {
    expect(formatSrtTime(1.234)).toBe('00:00:01,234');
    expect(formatSrtTime(0)).toBe('00:00:00,000');
    expect(formatSrtTime(61.0005)).toBe('00:01:01,001');
    expect(formatSrtTime(3600 + 59 * 60 + 59.9999)).toBe('02:00:00,000');
    expect(formatSrtTime(-3)).toBe('00:00:00,000');
  });
});

describe('toSrt', () => {
  const words = [
    { word: 'Привет,', start: 0.12, end: 0.5 },
    { word: 'это', start: 0.55, end: 0.7 },
    { word: 'наш', start: 0.75, end: 0.9 },
    { word: 'новый', start: 0.95, end: 1.2 },
    { word: 'крем.', start: 1.25, end: 1.6 },
    { word: 'Купите', start: 2.8, end: 3.2 },
    { word: 'сегодня!', start: 3.25, end: 3.9 },
  ];

  it('groups words into short numbered cues, breaking after a sentence and holding through short pauses', () => {
    expect(toSrt(words)).toBe(
      [
        '1\n00:00:00,120 --> 00:00:01,250\nПривет, это наш новый\n',
        '2\n00:00:01,250 --> 00:00:01,600\nкрем.\n',
        '3\n00:00:02,800 --> 00:00:03,900\nКупите сегодня!\n',
      ].join('\n'),
    );
  });

  it('respects the character limit and never runs past the end of the speech', () => {
    const srt = toSrt(words, { maxCharsPerCaption: 12, endSec: 3.5 });
    const cues = srt.trim().split('\n\n');
    for (const cue of cues) {
      const [, , text] = cue.split('\n');
      expect(text!.length <= 12 || !text!.includes(' ')).toBe(true);
    }
    expect(cues.at(-1)).toContain('--> 00:00:03,500');
    // A cue that would start after the end is dropped, not written with a negative length.
    expect(toSrt(words, { endSec: 2 })).not.toContain('Купите');
  });

  it('writes nothing for no words, and keeps user text on one line', () => {
    expect(toSrt([])).toBe('');
    expect(toSrt([{ word: 'two\nlines', start: 0, end: 1 }])).toBe(
      '1\n00:00:00,000 --> 00:00:01,000\ntwo lines\n',
    );
  });
});
