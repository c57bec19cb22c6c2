import { describe, expect, it } from 'vitest';
import { parseHtml } from '../../dev/telegram-emulator/html-parser.js';
import { generationStages, workStages } from '../../domain/generation/stages.js';
import { en } from './en.js';
import { languageFromCode, messages } from './index.js';
import { ru } from './ru.js';

const hostile = '<b>x</b> & <a href="javascript:alert(1)">y</a> *z*';

/** Sample arguments by parameter position, hostile wherever a string goes. */
function sampleArgs(fn: (...args: never[]) => string): unknown[] {
  const source = fn.toString();
  const params = source
    .slice(source.indexOf('(') + 1, source.indexOf(')'))
    .split(',')
    .filter((p) => p.trim() !== '');
  return params.map((param) => {
    const name = param.trim();
    if (/missing/.test(name)) return ['format', 'script'];
    if (/^step$/.test(name)) return 'voice';
    if (/^needs$/.test(name)) return 'background_format';
    if (/^stage$/.test(name)) return 'tts';
    if (/^format$/.test(name)) return 'background';
    if (/^gender$/.test(name)) return 'female';
    if (/^language$/.test(name)) return 'ru';
    if (/^(op)$/.test(name))
      return { kind: 'grant', delta: 5, reason: hostile, date: '2026-01-01' };
    if (/^item$/.test(name))
      return {
        date: '2026-01-01',
        format: 'background',
        status: 'completed',
        script: hostile,
        refunded: true,
      };
    if (/^stats$/.test(name)) return { total: 3, completed: 2, failed: 1, creditsSpent: 2 };
    if (/^days$/.test(name))
      return [
        { label: 'today', day: '2026-01-02', row: { new_users: 1 } },
        { label: 'yesterday', day: '2026-01-01', row: null },
      ];
    if (/^(refunded|hasCurrent|lipSync|withRevert)$/.test(name)) return true;
    if (
      /^(amount|balance|credits|cost|count|userId|length|max|maxChars|maxSec|maxMb|maxAudioSec|maxEdits|scriptMax|remaining|page|pages|position|total|n|hours|seconds|durationSec|width|height|estimatedSec|elapsedSec|granted|spent|revoked|generations)$/.test(
        name,
      )
    )
      return 7;
    if (/^command$/.test(name)) return 'grant';
    if (/^refusal$/.test(name)) return 'price_changed';
    if (/^payments$/.test(name))
      return [{ chargeId: hostile, stars: 50, credits: 10, refunded: true }];
    if (/^(stars|creditsTakenBack)$/.test(name)) return 7;
    if (/^url$/.test(name)) return 'https://files.example.test/a?b=1&c=2';
    return hostile;
  });
}

describe('i18n', () => {
  it('Russian and English have the same keys', () => {
    expect(Object.keys(ru).sort()).toEqual(Object.keys(en).sort());
  });

  for (const [language, table] of Object.entries(messages)) {
    it(`${language}: every text is valid Telegram HTML and shows user input literally`, () => {
      let literal = 0;
      for (const [key, value] of Object.entries(table)) {
        // Button labels and command descriptions are plain text, never parsed as HTML.
        if (key.startsWith('btn') || key.startsWith('cmd')) continue;
        const html =
          typeof value === 'function'
            ? (value as (...args: unknown[]) => string)(...sampleArgs(value))
            : value;
        let parsed: ReturnType<typeof parseHtml>;
        try {
          parsed = parseHtml(html);
        } catch (error) {
          throw new Error(
            `${language}.${key} is not valid HTML: ${(error as Error).message}\n${html}`,
            { cause: error },
          );
        }
        expect(parsed.text.length, `${language}.${key}`).toBeLessThanOrEqual(4096);
        if (html.includes('&lt;b&gt;x&lt;/b&gt;')) {
          expect(parsed.text, `${language}.${key}`).toContain(hostile);
          literal += 1;
        }
        expect(html, `${language}.${key} lets raw user input through`).not.toContain('<b>x</b>');
        expect(
          parsed.entities.some(
            (entity) => entity.type === 'text_link' && entity.url?.startsWith('javascript'),
          ),
        ).toBe(false);
      }
      expect(literal).toBeGreaterThan(20);
    });
  }

  it('names every stage of a generation, each differently, in both languages', () => {
    for (const table of Object.values(messages)) {
      const texts = generationStages.map((stage) => table.progress(stage, 0));
      expect(new Set(texts).size).toBe(generationStages.length);
      for (const stage of workStages)
        expect(table.failedProvider(stage, true)).toContain(
          table.progress(stage, 0).split('</b>')[0]!.split('<b>')[1]!,
        );
    }
  });

  it('maps Telegram language codes: ru/uk/be → Russian, everything else → English', () => {
    expect(languageFromCode('ru')).toBe('ru');
    expect(languageFromCode('uk')).toBe('ru');
    expect(languageFromCode('be-BY')).toBe('ru');
    expect(languageFromCode('en-GB')).toBe('en');
    expect(languageFromCode('de')).toBe('en');
    expect(languageFromCode(undefined)).toBe('en');
  });
});
