import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('STARS_PACKS', () => {
  it('offers three packs by default, and for a blank value', () => {
    const packs = [
      { credits: 10, stars: 50 },
      { credits: 50, stars: 200 },
      { credits: 120, stars: 400 },
    ];
    expect(loadConfig({}).STARS_PACKS).toEqual(packs);
    expect(loadConfig({ STARS_PACKS: ' ' }).STARS_PACKS).toEqual(packs);
  });

  it('reads credits:stars pairs, smallest pack first', () => {
    expect(loadConfig({ STARS_PACKS: '25:100, 5:25' }).STARS_PACKS).toEqual([
      { credits: 5, stars: 25 },
      { credits: 25, stars: 100 },
    ]);
  });

  it('is off for "off"', () => {
    expect(loadConfig({ STARS_PACKS: 'off' }).STARS_PACKS).toEqual([]);
    expect(loadConfig({ STARS_PACKS: 'OFF' }).STARS_PACKS).toEqual([]);
  });

  it('names every malformed pack and a repeated one', () => {
    let error: unknown;
    try {
      loadConfig({ STARS_PACKS: '10:50,ten:5,0:5,5:0,10:60,1:100001' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const bad of ['"ten:5"', '"0:5"', '"5:0"', 'two packs of 10 credits', '"1:100001"'])
      expect(problems).toContain(bad);
  });
});
