import { describe, expect, it } from 'vitest';
import { parseEventData } from '../events/catalog.js';
import type { UserEvent } from '../events/user-events.js';
import { givenFor } from '../../testing/domain/given-when-then.js';
import { backgroundClipLimit, clipFits, shownClipSeconds } from './background-clip.js';
import { userDecider } from './user-decider.js';

const given = givenFor(userDecider);

const registered: UserEvent[] = [
  {
    type: 'UserRegistered',
    data: { telegramId: 7, username: null, firstName: 'Li', language: 'en' },
  },
  { type: 'CreditsGranted', data: { amount: 3, reason: 'welcome', grantId: 'welcome-7' } },
];

const upToVoice: UserEvent[] = [
  ...registered,
  { type: 'FormatSelected', data: { format: 'talking_head' } },
  { type: 'CharacterGenderChosen', data: { gender: 'female' } },
  {
    type: 'CharacterSelected',
    data: { characterId: 'c1', gender: 'female', age: 'adult', imageKey: 'characters/c1.png' },
  },
];

const voice = (voiceId: string, languages?: string[]): UserEvent => ({
  type: 'VoiceSelected',
  data: { voiceId, provider: 'espeak-ng', ...(languages ? { languages } : {}) },
});
const script = (text: string): UserEvent => ({
  type: 'ScriptWritten',
  data: { text, speechText: text },
});
const chinese = '我们的新产品非常好，快来试试吧';
const request = { type: 'RequestGeneration', generationId: 'g1', cost: 1 } as const;

describe('the voice must speak the script before anything is charged', () => {
  it('records the languages of the chosen voice', () => {
    const state = given(upToVoice)
      .when({
        type: 'SelectVoice',
        voiceId: 'espeak-cmn-f1',
        provider: 'espeak-ng',
        languages: ['cmn'],
      })
      .then([voice('espeak-cmn-f1', ['cmn'])]);
    expect(state.draft.voice?.languages).toEqual(['cmn']);
  });

  it('refuses a Chinese script read by a Russian voice, naming the language and the voice languages, and charges nothing', () => {
    const state = given([...upToVoice, voice('espeak-ru-f1', ['ru']), script(chinese)])
      .when(request)
      .thenRejects('voice_language_mismatch', {
        language: 'cmn',
        system: 'han',
        possible: ['cmn', 'yue'],
        voiceLanguages: ['ru'],
      });
    expect(state.balance).toBe(3);
    expect(state.generationIds).toEqual([]);
  });

  it('accepts the same script with a Mandarin voice, and charges once', () => {
    const state = given([...upToVoice, voice('espeak-cmn-f1', ['cmn']), script(chinese)])
      .when(request)
      .then([
        expect.objectContaining({
          type: 'GenerationRequested',
          data: expect.objectContaining({ voiceId: 'espeak-cmn-f1', speechText: chinese }),
        }),
        {
          type: 'CreditsSpent',
          data: { amount: 1, reason: 'generation', spendId: 'g1', generationId: 'g1' },
        },
      ]);
    expect(state.balance).toBe(2);
  });

  it('refuses written Cantonese for a Mandarin voice', () => {
    given([...upToVoice, voice('espeak-cmn-f1', ['cmn']), script('佢哋喺度食咗飯')])
      .when(request)
      .thenRejects('voice_language_mismatch', { language: 'yue', possible: ['yue'] });
  });

  it('does not refuse a Russian script with a Latin brand name for a Russian voice', () => {
    const state = given([
      ...upToVoice,
      voice('espeak-ru-m1', ['ru']),
      script('Новый iPhone 15 уже в продаже!'),
    ])
      .when(request)
      .then([
        expect.objectContaining({ type: 'GenerationRequested' }),
        expect.objectContaining({ type: 'CreditsSpent' }),
      ]);
    expect(state.balance).toBe(2);
  });

  it('accepts any Latin-script voice for a short Latin text', () => {
    for (const [id, language] of [
      ['espeak-en-f1', 'en'],
      ['espeak-es-f1', 'es'],
      ['espeak-de-m1', 'de'],
    ] as const) {
      given([...upToVoice, voice(id, [language]), script('Hola amigo')])
        .when(request)
        .then([
          expect.objectContaining({ type: 'GenerationRequested' }),
          expect.objectContaining({ type: 'CreditsSpent' }),
        ]);
    }
  });

  it('reads the languages of a voice chosen before they were recorded from its local id', () => {
    const state = given([...upToVoice, voice('espeak-en-f1'), script(chinese)])
      .when(request)
      .thenRejects('voice_language_mismatch', { voiceLanguages: ['en'] });
    expect(state.draft.voice?.languages).toEqual(['en']);
    // A cloud voice from then has no languages on record: the domain does not judge it.
    given([
      ...upToVoice,
      { type: 'VoiceSelected', data: { voiceId: 'EXAVITQu4vr4xnSDxMaL', provider: 'elevenlabs' } },
      script(chinese),
    ])
      .when(request)
      .then([
        expect.objectContaining({ type: 'GenerationRequested' }),
        expect.objectContaining({ type: 'CreditsSpent' }),
      ]);
  });

  it('still reads a VoiceSelected stored without languages', () => {
    expect(
      parseEventData('VoiceSelected', { voiceId: 'espeak-ru-f1', provider: 'espeak-ng' }, 1),
    ).toEqual(voice('espeak-ru-f1'));
    expect(() =>
      parseEventData('VoiceSelected', { voiceId: 'v', provider: 'p', languages: ['Chinese'] }, 1),
    ).toThrow();
  });
});

describe('one boundary for the background clip length', () => {
  const clip = {
    assetId: 'a1',
    storageKey: 'uploads/a1.mp4',
    sizeBytes: 5_000_000,
    width: 1080,
    height: 1920,
    mimeType: 'video/mp4',
  };
  const background: UserEvent[] = [
    ...registered,
    { type: 'FormatSelected', data: { format: 'background' } },
  ];
  const upload = (durationSec: number) => ({
    type: 'UploadBackgroundVideo' as const,
    ...clip,
    durationSec,
    maxDurationSec: backgroundClipLimit.labelSec,
    maxSizeBytes: 20 * 1024 * 1024,
  });

  it('accepts a phone\'s "15 s" clip of 15.4 s and exactly 15.5 s', () => {
    for (const durationSec of [15.4, 15.5]) {
      given(background)
        .when(upload(durationSec))
        .then([{ type: 'BackgroundVideoUploaded', data: { ...clip, durationSec } }]);
    }
  });

  it('refuses 15.6 s, saying the limit the user is told', () => {
    given(background)
      .when(upload(15.6))
      .thenRejects('video_too_long', { durationSec: 15.6, maxDurationSec: 15 });
  });

  it('is the same rule everywhere: the label plus its tolerance', () => {
    expect(backgroundClipLimit).toEqual({ labelSec: 15, toleranceSec: 0.5 });
    expect([15, 15.4, 15.5, 15.51, 16, Number.NaN].map((d) => clipFits(d))).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('never shows a refused length rounded down into the accepted range', () => {
    expect(shownClipSeconds(15.54)).toBe(15.6);
    expect(shownClipSeconds(15.6)).toBe(15.6);
    expect(shownClipSeconds(16)).toBe(16);
  });
});
