import { describe, expect, it } from 'vitest';
import { fold } from '../domain/decider.js';
import type { GenerationEvent } from '../domain/events/generation-events.js';
import { generationDecider } from '../domain/generation/generation-decider.js';
import { stageOf } from '../domain/generation/stages.js';
import { logStageOf } from '../logging/logger.js';
import { classifyFailure } from './classify-failure.js';
import { failureNotice, refundReason } from './failure-notice.js';
import { PermanentProviderError } from '../testing/pipeline/fake-providers.js';
import { ProviderError } from '../ports/provider-error.js';
import { UnknownVoiceError } from '../adapters/local/ffmpeg/media-errors.js';
import { CommandRejectedError } from './pipeline-errors.js';
import { PipelineConfigError, resolvePipelineConfig } from './pipeline-options.js';
import { providersNote } from './providers-note.js';
import { audioExtension, generationKeys } from './storage-keys.js';

const started: GenerationEvent = {
  type: 'GenerationStarted',
  data: {
    generationId: 'g1',
    userId: 7,
    format: 'background',
    characterImageKey: 'c.png',
    voiceId: 'v',
    voiceProvider: 'espeak-ng',
    speechText: 'hi there',
    backgroundVideoKey: 'bg.mp4',
    overlayShape: 'circle',
    cost: 1,
    requestedAt: '2026-03-01T10:00:00Z',
  },
};
const audio: GenerationEvent = {
  type: 'AudioSynthesized',
  data: { audioKey: 'a.wav', durationSec: 3, provider: 'espeak-ng', elapsedMs: 900, words: [] },
};
const head: GenerationEvent = {
  type: 'TalkingHeadGenerated',
  data: {
    videoKey: 'h.mp4',
    durationSec: 3,
    provider: 'local-portrait',
    elapsedMs: 4000,
    lipSync: false,
    costUsd: null,
  },
};
const overlay: GenerationEvent = {
  type: 'OverlayRendered',
  data: { videoKey: 'f.mp4', provider: 'local-ffmpeg', elapsedMs: 5000 },
};
const state = (...events: GenerationEvent[]) => fold(generationDecider, events);

describe('classifyFailure', () => {
  it('takes retryable and code from an AppError', () => {
    expect(classifyFailure(new PermanentProviderError('422'))).toEqual({
      retryable: false,
      reason: 'PermanentProviderError: 422',
      code: 'PROVIDER_INVALID_REQUEST',
    });
    expect(
      classifyFailure(new ProviderError('503', { provider: 'fal', kind: 'server', status: 503 })),
    ).toMatchObject({ retryable: true, code: 'PROVIDER_SERVER_ERROR' });
    expect(classifyFailure(new UnknownVoiceError('nope'))).toMatchObject({
      retryable: false,
      code: 'UNKNOWN_VOICE',
    });
    expect(
      classifyFailure(
        new CommandRejectedError('RecordAudio', { code: 'invalid_result', message: 'bad' }),
      ),
    ).toMatchObject({ retryable: false, code: 'COMMAND_REJECTED' });
  });

  it('treats every other error alike: presumed transient, with no code, whatever its shape says', () => {
    const lookalikes = [
      Object.assign(new Error('x'), { retryable: false }),
      Object.assign(new Error('voice'), { code: 'UNKNOWN_VOICE' }),
      Object.assign(new Error('http 400'), { status: 400 }),
      new Error('ECONNRESET'),
      'a string',
    ];
    for (const error of lookalikes)
      expect(classifyFailure(error)).toEqual({
        retryable: true,
        reason: expect.any(String) as string,
      });
  });

  it('keeps the reason to one bounded line without bot tokens', () => {
    const { reason } = classifyFailure(
      new Error(
        `GET https://api.telegram.org/file/bot123456:${'A'.repeat(30)}/x failed\n  at stack`,
      ),
    );
    expect(reason).not.toContain('AAAA');
    expect(reason).not.toContain('\n');
    expect(classifyFailure(new Error('y'.repeat(1000))).reason.length).toBeLessThanOrEqual(300);
  });
});

describe('providersNote', () => {
  it('names each recorded provider and says when there is no lip-sync', () => {
    expect(providersNote(state(started, audio, head, overlay), 'en')).toBe(
      'voice: espeak-ng · video: local portrait renderer, no lip-sync · overlay and subtitles: local ffmpeg compositor',
    );
    expect(providersNote(state(started, audio, head), 'ru')).toBe(
      'голос: espeak-ng · видео: локальный портретный рендер, без синхронизации губ',
    );
  });

  it('names the captions burned over a talking head', () => {
    const burned: GenerationEvent = {
      type: 'SubtitlesBurned',
      data: {
        videoKey: 'generations/g1/final.mp4',
        provider: 'local-ffmpeg-captions',
        elapsedMs: 900,
      },
    };
    expect(providersNote(state(started, audio, head, burned), 'en')).toBe(
      'voice: espeak-ng · video: local portrait renderer, no lip-sync · captions: local ffmpeg',
    );
    expect(providersNote(state(started, audio, head, burned), 'ru')).toBe(
      'голос: espeak-ng · видео: локальный портретный рендер, без синхронизации губ · субтитры: локальный ffmpeg',
    );
  });

  it('shows unknown providers under their own id and claims no lip-sync problem for a lip-synced video', () => {
    const cloud: GenerationEvent = {
      type: 'TalkingHeadGenerated',
      data: { ...head.data, provider: 'acme-heads', lipSync: true },
    };
    expect(providersNote(state(started, audio, cloud), 'en')).toBe(
      'voice: espeak-ng · video: acme-heads',
    );
  });

  it('says "lip-sync (local)" when the local renderer moved a drawn character\'s mouth', () => {
    const drawn: GenerationEvent = {
      type: 'TalkingHeadGenerated',
      data: { ...head.data, lipSync: true },
    };
    expect(providersNote(state(started, audio, drawn), 'en')).toBe(
      'voice: espeak-ng · video: local portrait renderer, lip-sync (local)',
    );
    expect(providersNote(state(started, audio, drawn), 'ru')).toBe(
      'голос: espeak-ng · видео: локальный портретный рендер, синхронизация губ (локальная)',
    );
  });
});

describe('failureNotice and refundReason', () => {
  it('audio over the limit: the durations, for the user and for the ledger', () => {
    const rejected = state(started, {
      type: 'AudioRejected',
      data: { durationSec: 17.25, maxDurationSec: 15 },
    });
    expect(failureNotice(rejected)).toEqual({
      kind: 'audio_too_long',
      durationSec: 17.25,
      maxDurationSec: 15,
    });
    expect(refundReason(rejected)).toBe('audio too long: 17.3 s > 15 s');
  });

  it('a failed stage, a failed delivery, a request that never started', () => {
    const failed = state(started, audio, {
      type: 'GenerationFailed',
      data: { stage: 'video', reason: '500', retryable: true },
    });
    expect(failureNotice(failed)).toEqual({ kind: 'provider_failed', stage: 'video' });
    expect(refundReason(failed)).toBe('generation failed at video: 500');
    const undelivered = state(started, {
      type: 'GenerationFailed',
      data: { stage: 'delivery', reason: 'blocked', retryable: true },
    });
    expect(failureNotice(undelivered)).toEqual({ kind: 'delivery_failed' });
    expect(failureNotice(state())).toEqual({ kind: 'provider_failed', stage: 'queued' });
    expect(refundReason(state())).toBe('generation could not start');
  });
});

describe('steps, keys and config', () => {
  it('logs a stage under the name operators know it by', () => {
    expect(logStageOf(stageOf('await_talking_head'))).toBe('video');
    expect(logStageOf(stageOf('subtitles'))).toBe('montage');
    expect(logStageOf(stageOf('deliver'))).toBe('render');
  });

  it('keeps every file of a generation under generations/<id>/', () => {
    const keys = generationKeys('g-1');
    expect([
      keys.speech('audio/wav'),
      keys.speech('audio/mpeg; charset=x'),
      keys.talkingHead,
      keys.composite,
    ]).toEqual([
      'generations/g-1/speech.wav',
      'generations/g-1/speech.mp3',
      'generations/g-1/talking-head.mp4',
      'generations/g-1/final.mp4',
    ]);
    expect(audioExtension('application/x-unknown')).toBe('audio');
  });

  it('fills defaults (one worker, bounded retries) and refuses nonsense', () => {
    expect(resolvePipelineConfig({ maxAudioDurationSec: 15, workerId: 'w' })).toMatchObject({
      workerId: 'w',
      concurrency: 1,
      leaseMs: 7000,
      maxAttempts: 3,
      progressIntervalMs: 5000,
      stageGraceMs: 5000,
    });
    expect(() =>
      resolvePipelineConfig({
        maxAudioDurationSec: 15,
        stageDeadlines: { overlay: { floorMs: 0 } },
      }),
    ).toThrow(/stageDeadlines.overlay/);
    expect(() =>
      resolvePipelineConfig({
        maxAudioDurationSec: 15,
        stageDeadlines: { tts: { perMediaSecondMs: -1 } },
      }),
    ).toThrow(PipelineConfigError);
    expect(resolvePipelineConfig({ maxAudioDurationSec: 15 }).workerId).toMatch(
      /:\d+:[0-9a-f]{6}$/,
    );
    expect(() => resolvePipelineConfig({ maxAudioDurationSec: 15, concurrency: 0 })).toThrow(
      PipelineConfigError,
    );
    expect(() => resolvePipelineConfig({ maxAudioDurationSec: 15, maxAttempts: 1.5 })).toThrow(
      /integers/,
    );
    expect(() => resolvePipelineConfig({ maxAudioDurationSec: Number.NaN })).toThrow(
      /maxAudioDurationSec/,
    );
  });
});
