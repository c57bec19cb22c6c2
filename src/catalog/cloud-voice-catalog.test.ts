import { describe, expect, it } from 'vitest';
import type { Catalog } from '../ports/catalog.js';
import type { Voice } from '../ports/speech-synthesizer.js';
import { CloudVoiceCatalog } from './cloud-voice-catalog.js';
import { paginate } from './paginate.js';

const local: Voice[] = [
  {
    id: 'espeak-ru-m1',
    name: 'A',
    language: 'ru',
    gender: 'male',
    provider: 'espeak-ng',
    previewKey: 'catalog/voices/a.ogg',
  },
  {
    id: 'espeak-en-f1',
    name: 'C',
    language: 'en',
    gender: 'female',
    provider: 'espeak-ng',
    previewKey: 'catalog/voices/c.ogg',
  },
];
const cloud: Voice[] = [
  {
    id: 'EXAVITQu4vr4xnSDxMaL',
    name: 'Sarah',
    language: 'multi',
    gender: 'female',
    provider: 'elevenlabs',
    previewUrl: 'https://x/p.mp3',
  },
];

const inner: Catalog = {
  characters: async () => paginate([], 0, 1),
  character: async () => undefined,
  voices: async (page, size) => paginate(local, page, size),
  voice: async (id) => local.find((voice) => voice.id === id),
  exampleVideo: async () => undefined,
};

describe('CloudVoiceCatalog', () => {
  it('puts the cloud voices ahead of the local gallery, paged together', async () => {
    const catalog = new CloudVoiceCatalog({ catalog: inner, cloudVoices: async () => cloud });
    const first = await catalog.voices(0, 2);
    expect(first.items.map((voice) => voice.id)).toEqual(['EXAVITQu4vr4xnSDxMaL', 'espeak-ru-m1']);
    expect(first.total).toBe(3);
    expect((await catalog.voice('EXAVITQu4vr4xnSDxMaL'))?.previewUrl).toBe('https://x/p.mp3');
  });

  it('keeps the wizard working on an outage and remembers voices it has seen', async () => {
    let now = 0;
    let up = true;
    const catalog = new CloudVoiceCatalog({
      catalog: inner,
      cloudVoices: async () => (up ? cloud : Promise.reject(new Error('down'))),
      ttlMs: 1000,
      now: () => now,
    });
    expect((await catalog.voices(0, 10)).total).toBe(3);
    up = false;
    now = 5000;
    expect((await catalog.voices(0, 10)).total).toBe(3);
    expect(await catalog.voice('EXAVITQu4vr4xnSDxMaL')).toBeDefined();
    const cold = new CloudVoiceCatalog({
      catalog: inner,
      cloudVoices: () => Promise.reject(new Error('down')),
    });
    expect((await cold.voices(0, 10)).items.map((voice) => voice.id)).toEqual([
      'espeak-ru-m1',
      'espeak-en-f1',
    ]);
  });
});
