import { describe, expect, it } from 'vitest';
import { espeakVoices } from '../adapters/local/speech/espeak-voices.js';
import type { Voice } from '../ports/speech-synthesizer.js';
import { orderVoices } from './voice-order.js';

const cloud: Voice = {
  id: 'cloudAria',
  name: 'Aria',
  language: 'multi',
  languages: ['en', 'cmn', 'ru', 'es'],
  gender: 'female',
  provider: 'elevenlabs',
};
const catalog: Voice[] = [cloud, ...espeakVoices];
const ids = (voices: ReturnType<typeof orderVoices>) => voices.map((entry) => entry.voice.id);

describe('the voice gallery order', () => {
  it("puts an English user's English voices first, never a Russian one", () => {
    const order = ids(orderVoices(catalog, { userLanguage: 'en' }));
    expect(order.slice(0, 5)).toEqual([
      'cloudAria',
      'espeak-en-m1',
      'espeak-en-m2',
      'espeak-en-f1',
      'espeak-en-f2',
    ]);
    expect(order.indexOf('espeak-ru-m1')).toBeGreaterThan(4);
  });

  it("puts a Russian user's Russian voices first", () => {
    const order = ids(orderVoices(catalog, { userLanguage: 'ru' }));
    expect(order.slice(0, 5)).toEqual([
      'cloudAria',
      'espeak-ru-m1',
      'espeak-ru-m2',
      'espeak-ru-f1',
      'espeak-ru-f2',
    ]);
  });

  it('puts the voices that can read a written script first, and marks the others', () => {
    for (const userLanguage of ['en', 'ru']) {
      const ordered = orderVoices(catalog, { userLanguage, script: '我们的新产品非常好' });
      const readers = ordered.filter((entry) => entry.readsScript).map((entry) => entry.voice.id);
      expect(readers.sort()).toEqual(
        ['cloudAria', 'espeak-cmn-f1', 'espeak-cmn-m1', 'espeak-yue-f1', 'espeak-yue-m1'].sort(),
      );
      // Mandarin (the likely language) before Cantonese, and every reader before every other voice.
      expect(ids(ordered).slice(0, 5)).toEqual([
        'cloudAria',
        'espeak-cmn-f1',
        'espeak-cmn-m1',
        'espeak-yue-f1',
        'espeak-yue-m1',
      ]);
    }
  });

  it("puts the voices of a Spanish script's language first, and still lets any Latin voice read it", () => {
    const ordered = orderVoices(catalog, {
      userLanguage: 'en',
      script: '¡Las nuevas zapatillas ya llegaron! Ven a probarlas con tus amigos.',
    });
    expect(ids(ordered).slice(0, 3)).toEqual(['cloudAria', 'espeak-es-f1', 'espeak-es-m1']);
    expect(ordered.find((entry) => entry.voice.id === 'espeak-en-f1')?.readsScript).toBe(true);
    expect(ordered.find((entry) => entry.voice.id === 'espeak-ru-f1')?.readsScript).toBe(false);
  });
});
