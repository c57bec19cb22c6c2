import { describe, expect, it } from 'vitest';
import { espeakVoices } from '../../adapters/local/speech/espeak-voices.js';
import { keyDistance } from '../portraits/colour.js';
import { portraitColours } from '../portraits/portrait-svg.js';
import { starterExample } from './example-videos.js';
import { starterCharacters } from './starter-characters.js';

describe('starter cast', () => {
  it('has at least two of each gender and age group, with unique short ids', () => {
    expect(starterCharacters.length).toBeGreaterThanOrEqual(12);
    for (const gender of ['male', 'female'] as const) {
      for (const age of ['young', 'adult', 'senior'] as const) {
        expect(
          starterCharacters.filter((c) => c.gender === gender && c.age === age).length,
          `${gender} ${age}`,
        ).toBeGreaterThanOrEqual(2);
      }
    }
    const ids = starterCharacters.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of starterCharacters) {
      expect(c.id).toMatch(/^[a-z0-9-]{1,32}$/);
      expect(c.portrait.gender).toBe(c.gender);
      expect(c.portrait.age).toBe(c.age);
    }
  });

  it('mixes ages on every gallery page', () => {
    for (const gender of ['male', 'female'] as const) {
      const firstPage = starterCharacters.filter((c) => c.gender === gender).slice(0, 3);
      expect(new Set(firstPage.map((c) => c.age)).size).toBe(3);
    }
  });

  // The local cut-out keys the backdrop colour out (similarity ≈0.1 plus a 0.08 soft edge): any
  // colour of the person that close to the backdrop would become see-through.
  it.each(starterCharacters.map((c) => [c.id, c] as const))(
    '%s keeps every colour clear of its backdrop',
    (_id, character) => {
      for (const colour of portraitColours(character.portrait)) {
        expect(
          keyDistance(colour, character.portrait.backdrop),
          `${colour} vs ${character.portrait.backdrop}`,
        ).toBeGreaterThanOrEqual(0.18);
      }
    },
  );

  it('makes its example from a starter character and an espeak voice', () => {
    expect(starterCharacters.some((c) => c.id === starterExample.characterId)).toBe(true);
    expect(espeakVoices.some((v) => v.id === starterExample.voiceId)).toBe(true);
  });
});
