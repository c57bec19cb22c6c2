import { describe, expect, it } from 'vitest';
import type { WordTiming } from '../../../ports/speech-synthesizer.js';
import {
  assColor,
  buildAssSubtitles,
  escapeAssText,
  formatAssTime,
  groupCaptions,
} from './ass-subtitles.js';

const words = (...items: [string, number, number][]): WordTiming[] =>
  items.map(([word, start, end]) => ({ word, start, end }));

function dialogues(ass: string): { start: string; end: string; text: string }[] {
  return ass
    .split('\n')
    .filter((line) => line.startsWith('Dialogue:'))
    .map((line) => {
      const fields = line.slice('Dialogue: '.length).split(',');
      return { start: fields[1]!, end: fields[2]!, text: fields.slice(9).join(',') };
    });
}

describe('escapeAssText', () => {
  it('makes override braces literal', () => {
    expect(escapeAssText('{\\b1}жирный{}')).toBe('\\{\\\u2060b1\\}жирный\\{\\}');
  });

  it('keeps a backslash from forming \\N, \\n or \\h', () => {
    const escaped = escapeAssText('C:\\new\\Name\\h');
    expect(escaped).not.toMatch(/\\[Nnh]/);
    expect(escaped.replace(/\u2060/g, '')).toBe('C:\\new\\Name\\h');
  });

  it('turns line breaks into spaces', () => {
    expect(escapeAssText('раз\nдва\r\nтри\rчетыре')).toBe('раз два три четыре');
  });

  it('leaves Cyrillic, Latin, digits and punctuation alone', () => {
    expect(escapeAssText('Съешь же ещё — 100% «булок», ok?')).toBe(
      'Съешь же ещё — 100% «булок», ok?',
    );
  });
});

describe('formatAssTime and assColor', () => {
  it('formats centiseconds', () => {
    expect(formatAssTime(0)).toBe('0:00:00.00');
    expect(formatAssTime(3.456)).toBe('0:00:03.46');
    expect(formatAssTime(3725.5)).toBe('1:02:05.50');
    expect(formatAssTime(-1)).toBe('0:00:00.00');
  });

  it('converts #RRGGBB to ASS BGR', () => {
    expect(assColor('#FFD21F')).toBe('&H001FD2FF');
    expect(() => assColor('yellow')).toThrow(RangeError);
  });
});

describe('groupCaptions', () => {
  it('starts a new caption after a sentence and caps words and characters', () => {
    const groups = groupCaptions(
      words(
        ['Привет!', 0, 1],
        ['Это', 1, 2],
        ['очень', 2, 3],
        ['длинноесловище', 3, 4],
        ['да', 4, 5],
        ['нет', 5, 6],
        ['ок', 6, 7],
      ),
      { maxWordsPerCaption: 3, maxCharsPerCaption: 16 },
    );
    expect(groups.map((g) => g.map((w) => w.word).join(' '))).toEqual([
      'Привет!',
      'Это очень',
      'длинноесловище',
      'да нет ок',
    ]);
  });
});

describe('buildAssSubtitles', () => {
  const timings = words(
    ['Привет,', 0.1, 0.5],
    ['{мир}!', 0.6, 0.9],
    ['Buy', 2.0, 2.3],
    ['now\\N', 2.3, 2.8],
  );
  const ass = buildAssSubtitles(timings, { highlightColor: '#FF0000', marginBottom: 800 });

  it('declares a 1080×1920 canvas and a caption style', () => {
    expect(ass).toContain('PlayResX: 1080');
    expect(ass).toContain('PlayResY: 1920');
    expect(ass).toMatch(/^Style: Caption,DejaVu Sans,76,.*,2,70,70,800,1$/m);
  });

  it('emits one event per word, highlighting that word only', () => {
    const events = dialogues(ass);
    expect(events).toHaveLength(4);
    expect(events[0]).toEqual({
      start: '0:00:00.10',
      end: '0:00:00.60',
      text: '{\\c&H000000FF}Привет,{\\r} \\{мир\\}!',
    });
    expect(events[1]!.text).toBe('Привет, {\\c&H000000FF}\\{мир\\}!{\\r}');
    // A long pause after a sentence clears the screen instead of holding the caption.
    expect(events[1]!.end).toBe('0:00:00.90');
    expect(events[2]).toMatchObject({ start: '0:00:02.00', end: '0:00:02.30' });
    expect(events[3]!.text).toBe('Buy {\\c&H000000FF}now\\\u2060N{\\r}');
    expect(events[3]!.end).toBe('0:00:02.80');
  });

  it('holds a caption through a short pause', () => {
    const events = dialogues(
      buildAssSubtitles(words(['один', 0, 0.5], ['два.', 0.5, 1.0], ['три', 1.3, 1.8])),
    );
    expect(events[1]!.end).toBe('0:00:01.30');
  });

  it('has monotonic, non-overlapping events covering the words', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({
      word: `w${i}${i % 7 === 6 ? '.' : ''}`,
      start: i * 0.3,
      end: i * 0.3 + 0.25,
    }));
    const events = dialogues(buildAssSubtitles(many));
    expect(events.length).toBe(40);
    for (let i = 1; i < events.length; i++)
      expect(events[i]!.start >= events[i - 1]!.end).toBe(true);
  });

  it('is empty of events for no words', () => {
    expect(dialogues(buildAssSubtitles([]))).toEqual([]);
  });
});

describe('caption style options', () => {
  const spoken = words(
    ['Fresh', 0, 0.4],
    ['coffee', 0.4, 0.9],
    ['every', 0.9, 1.3],
    ['morning', 1.3, 1.8],
  );
  const styleLine = (ass: string) =>
    ass
      .split('\n')
      .find((line) => line.startsWith('Style: Caption,'))!
      .split(',');

  it('keeps the classic look by default: an outline (border style 1), no box', () => {
    const fields = styleLine(buildAssSubtitles(spoken));
    expect(fields[15]).toBe('1');
    expect(fields[16]).toBe('6');
  });

  it('puts the words on an opaque box: border style 3, the box colour as the outline, its padding as the outline width', () => {
    const fields = styleLine(
      buildAssSubtitles(spoken, { box: { color: '#141414', opacity: 1, padding: 16 } }),
    );
    expect(fields[5]).toBe('&H00141414');
    expect(fields[15]).toBe('3');
    expect(fields[16]).toBe('16');
    expect(fields[17]).toBe('0');
    expect(assColor('#141414', 0.5)).toBe('&H80141414');
  });

  it('writes capitals and grows the spoken word, leaving the others at their size', () => {
    const events = dialogues(
      buildAssSubtitles(spoken, { uppercase: true, highlightScale: 1.15, maxWordsPerCaption: 2 }),
    );
    expect(events[1]!.text).toBe('FRESH {\\c&H001FD2FF\\fscx115\\fscy115}COFFEE{\\r}');
    expect(events[2]!.text).toBe('{\\c&H001FD2FF\\fscx115\\fscy115}EVERY{\\r} MORNING');
  });
});
