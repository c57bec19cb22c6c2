import { describe, expect, it } from 'vitest';
import { fold } from '../decider.js';
import type { GenerationEvent } from '../events/generation-events.js';
import { generationDecider } from './generation-decider.js';
import { nextStep } from './next-step.js';
import { isTerminal, needsRefund } from './state.js';

const base = {
  generationId: 'g',
  userId: 1,
  characterImageKey: 'c.png',
  voiceId: 'v',
  voiceProvider: 'p',
  speechText: 'hi',
  cost: 1,
  requestedAt: '2026-03-01T10:00:00Z',
};
const th: GenerationEvent = {
  type: 'GenerationStarted',
  data: { ...base, format: 'talking_head', backgroundVideoKey: null, overlayShape: null },
};
const bg: GenerationEvent = {
  type: 'GenerationStarted',
  data: { ...base, format: 'background', backgroundVideoKey: 'bg.mp4', overlayShape: 'circle' },
};
const audio: GenerationEvent = {
  type: 'AudioSynthesized',
  data: { audioKey: 'a', durationSec: 3, provider: 'p', elapsedMs: 1, words: [] },
};
const requested: GenerationEvent = {
  type: 'TalkingHeadRequested',
  data: { provider: 'fal', requestId: 'r' },
};
const head: GenerationEvent = {
  type: 'TalkingHeadGenerated',
  data: {
    videoKey: 'h',
    durationSec: 3,
    provider: 'fal',
    elapsedMs: 1,
    lipSync: true,
    costUsd: null,
  },
};
const overlayRequested: GenerationEvent = {
  type: 'OverlayRequested',
  data: { provider: 'm', requestId: 'o', shape: 'circle' },
};
const overlay: GenerationEvent = {
  type: 'OverlayRendered',
  data: { videoKey: 'o', provider: 'm', elapsedMs: 1 },
};
const subtitles: GenerationEvent = {
  type: 'SubtitlesBurned',
  data: { videoKey: 's', provider: 'f', elapsedMs: 1 },
};
const completed: GenerationEvent = {
  type: 'GenerationCompleted',
  data: {
    videoKey: 's',
    durationSec: 3,
    width: 1,
    height: 1,
    timings: {},
    providers: {},
    costUsd: null,
  },
};
const delivered: GenerationEvent = { type: 'VideoDelivered', data: { chatId: 1, messageId: 2 } };
const failed: GenerationEvent = {
  type: 'GenerationFailed',
  data: { stage: 'tts', reason: 'x', retryable: false },
};
const rejected: GenerationEvent = {
  type: 'AudioRejected',
  data: { durationSec: 16, maxDurationSec: 15 },
};

const stateOf = (events: GenerationEvent[]) => fold(generationDecider, events);

describe('nextStep', () => {
  it.each([
    ['nothing yet', [], 'start'],
    ['started', [th], 'synthesize'],
    ['audio ready', [th, audio], 'request_talking_head'],
    ['talking head requested', [th, audio, requested], 'await_talking_head'],
    ['talking head ready (talking head)', [th, audio, requested, head], 'complete'],
    ['talking head ready (background)', [bg, audio, requested, head], 'overlay'],
    ['overlay requested', [bg, audio, requested, head, overlayRequested], 'await_overlay'],
    ['overlay ready', [bg, audio, requested, head, overlayRequested, overlay], 'subtitles'],
    ['subtitled', [bg, audio, requested, head, overlay, subtitles], 'complete'],
    ['completed', [th, audio, head, completed], 'deliver'],
    ['delivered', [th, audio, head, completed, delivered], 'done'],
    ['failed', [th, failed], 'refund'],
    ['audio rejected', [th, rejected], 'refund'],
    [
      'failed at delivery',
      [th, audio, head, completed, { ...failed, data: { ...failed.data, stage: 'delivery' } }],
      'refund',
    ],
  ] as const)('%s → %s', (_, events, step) => {
    expect(nextStep(stateOf([...events]))).toBe(step);
  });
});

describe('needsRefund and isTerminal', () => {
  it('refunds only a generation that failed or whose audio was rejected', () => {
    expect(needsRefund(stateOf([th, failed]))).toBe(true);
    expect(needsRefund(stateOf([th, rejected]))).toBe(true);
    expect(needsRefund(stateOf([th, audio, head, completed]))).toBe(false);
    expect(needsRefund(stateOf([th, audio, head, completed, delivered]))).toBe(false);
    expect(needsRefund(stateOf([th]))).toBe(false);
  });

  it('knows the terminal states', () => {
    expect(isTerminal(stateOf([th, failed]))).toBe(true);
    expect(isTerminal(stateOf([th, rejected]))).toBe(true);
    expect(isTerminal(stateOf([th, audio, head, completed, delivered]))).toBe(true);
    expect(isTerminal(stateOf([th, audio, head, completed]))).toBe(false);
  });
});
