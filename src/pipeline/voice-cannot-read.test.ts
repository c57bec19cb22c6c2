import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VoiceCannotReadError } from '../adapters/local/ffmpeg/media-errors.js';
import { fold } from '../domain/decider.js';
import type { GenerationEvent } from '../domain/events/generation-events.js';
import { generationDecider } from '../domain/generation/generation-decider.js';
import { classifyFailure } from './classify-failure.js';
import { failureNotice } from './failure-notice.js';
import { PipelineWorld } from '../testing/pipeline/pipeline-world.js';

// The speech provider refusing a script its voice would spell out (VOICE_CANNOT_READ) is told to
// the user as exactly that, not as a generic speech failure: the code is recorded with the failure.

const startedWith = (voiceId: string, speechText: string): GenerationEvent => ({
  type: 'GenerationStarted',
  data: {
    generationId: 'g1',
    userId: 7,
    format: 'talking_head',
    characterImageKey: 'c.png',
    voiceId,
    voiceProvider: 'espeak-ng',
    speechText,
    backgroundVideoKey: null,
    overlayShape: null,
    cost: 1,
    requestedAt: '2026-03-01T10:00:00Z',
  },
});
const failed = (code?: string): GenerationEvent => ({
  type: 'GenerationFailed',
  data: {
    stage: 'tts',
    reason: 'VoiceCannotReadError: …',
    retryable: false,
    ...(code ? { code } : {}),
  },
});
const state = (...events: GenerationEvent[]) => fold(generationDecider, events);

describe('the failure notice for a voice that cannot read the script', () => {
  it('names the part of the script the voice does not speak', () => {
    expect(
      failureNotice(
        state(startedWith('espeak-ru-f1', '我们的新产品非常好'), failed('VOICE_CANNOT_READ')),
      ),
    ).toEqual({
      kind: 'voice_cannot_read',
      script: { system: 'han', likely: 'cmn', identified: false },
    });
    expect(
      failureNotice(
        state(
          startedWith('espeak-en-m1', 'Новые кроссовки уже в магазине'),
          failed('VOICE_CANNOT_READ'),
        ),
      ),
    ).toEqual({
      kind: 'voice_cannot_read',
      script: { system: 'cyrillic', likely: 'ru', identified: true },
    });
  });

  it('names no language when the voice speaks it but not some characters (rare CJK beyond the BMP)', () => {
    expect(
      failureNotice(
        state(startedWith('espeak-cmn-f1', '我们的新产品𠮷'), failed('VOICE_CANNOT_READ')),
      ),
    ).toEqual({ kind: 'voice_cannot_read', script: null });
  });

  it('keeps the generic notice for other speech failures and for failures recorded before codes were', () => {
    expect(
      failureNotice(state(startedWith('espeak-ru-f1', '我们'), failed('SPEECH_SYNTHESIS_FAILED'))),
    ).toEqual({ kind: 'provider_failed', stage: 'tts' });
    expect(failureNotice(state(startedWith('espeak-ru-f1', '我们'), failed()))).toEqual({
      kind: 'provider_failed',
      stage: 'tts',
    });
  });

  it('records the stable code of the failing error, and none for an error that is not an AppError', () => {
    const error = new VoiceCannotReadError('espeak-ru-f1', ['ru'], 'cmn (han letters)');
    expect(classifyFailure(error)).toMatchObject({ retryable: false, code: 'VOICE_CANNOT_READ' });
    expect(classifyFailure(Object.assign(new Error('x'), { code: 42 }))).not.toHaveProperty('code');
    expect(
      classifyFailure(Object.assign(new Error('x'), { code: 'SOME_CODE' })),
    ).not.toHaveProperty('code');
    expect(classifyFailure(new Error('plain'))).not.toHaveProperty('code');
  });
});

describe('the pipeline, when the speech provider refuses the script', () => {
  let world: PipelineWorld;
  beforeAll(async () => {
    world = await PipelineWorld.pglite();
  });
  afterAll(async () => {
    await world?.close();
  });

  it('fails at tts once (no retry), records the code, refunds once, and tells the user the voice cannot read it', async () => {
    const pipeline = world.pipeline({ config: { maxAttempts: 3 } });
    world.providers.speech.script = [
      new VoiceCannotReadError('espeak-en-f1', ['en'], 'characters 𠮷'),
    ];
    pipeline.start();
    const { generationId, userId, text } = await world.request({ format: 'talking_head' });
    expect(await world.settled(generationId)).toBe('refunded');
    await pipeline.stop();

    expect(world.providers.speech.count(text)).toBe(1);
    expect(await world.generationEventTypes(generationId)).toEqual([
      'GenerationStarted',
      'GenerationFailed',
    ]);
    const failure = (await world.generationEvents(generationId)).find(
      (e) => e.type === 'GenerationFailed',
    )?.data;
    expect(failure).toMatchObject({ stage: 'tts', retryable: false, code: 'VOICE_CANNOT_READ' });
    expect(world.notifier.failuresOf(generationId)).toEqual([
      {
        userId,
        generationId,
        language: 'en',
        progressMessage: expect.anything(),
        notice: { kind: 'voice_cannot_read', script: null },
        refunded: true,
      },
    ]);
    expect(await world.creditEvents(userId, generationId)).toEqual([
      'CreditsSpent',
      'CreditsRefunded',
    ]);
  });
});
