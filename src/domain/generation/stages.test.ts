import { describe, expect, it } from 'vitest';
import type { GenerationEvent } from '../events/generation-events.js';
import { givenFor } from '../../testing/domain/given-when-then.js';
import { generationDecider } from './generation-decider.js';
import { nextStep, type GenerationStep } from './next-step.js';
import {
  generationStages,
  isWorkStep,
  stageEndedBy,
  stageOf,
  workStages,
  type WorkStage,
} from './stages.js';

const given = givenFor(generationDecider);
const at = '2026-03-01T10:00:00.000Z';

const started = (
  format: 'talking_head' | 'background',
  captionStyle: 'none' | 'classic',
): GenerationEvent => ({
  type: 'GenerationStarted',
  data: {
    generationId: 'gen-1',
    userId: 42,
    format,
    characterImageKey: 'characters/c1.png',
    voiceId: 'v1',
    voiceProvider: 'espeak-ng',
    speechText: 'Buy now',
    backgroundVideoKey: format === 'background' ? 'uploads/bg.mp4' : null,
    overlayShape: format === 'background' ? 'cutout' : null,
    cost: 1,
    requestedAt: at,
    captionStyle,
  },
});

/** The event each step records when it succeeds, as the pipeline's stages record them. */
const succeeded: Readonly<Record<string, GenerationEvent>> = {
  synthesize: {
    type: 'AudioSynthesized',
    data: { audioKey: 'a.wav', durationSec: 2, provider: 'espeak-ng', elapsedMs: 10, words: [] },
  },
  request_talking_head: {
    type: 'TalkingHeadRequested',
    data: { provider: 'local', requestId: 'r-1' },
  },
  await_talking_head: {
    type: 'TalkingHeadGenerated',
    data: {
      videoKey: 'head.mp4',
      durationSec: 2,
      provider: 'local',
      elapsedMs: 10,
      lipSync: false,
      costUsd: null,
    },
  },
  overlay: {
    type: 'OverlayRendered',
    data: { videoKey: 'overlay.mp4', provider: 'ffmpeg', elapsedMs: 10 },
  },
  subtitles: {
    type: 'SubtitlesBurned',
    data: { videoKey: 'final.mp4', provider: 'ffmpeg', elapsedMs: 10 },
  },
  complete: {
    type: 'GenerationCompleted',
    data: {
      videoKey: 'final.mp4',
      durationSec: 2,
      width: 1080,
      height: 1920,
      timings: {},
      providers: {},
      costUsd: null,
    },
  },
  deliver: { type: 'VideoDelivered', data: { chatId: 42, messageId: 7 } },
};

/** Walks a generation from its start to delivery, one successful step at a time. */
function walk(
  first: GenerationEvent,
): { step: GenerationStep; stage: WorkStage; ended: WorkStage | undefined }[] {
  const history: GenerationEvent[] = [first];
  const visited: { step: GenerationStep; stage: WorkStage; ended: WorkStage | undefined }[] = [];
  for (
    let step = nextStep(given(history).state);
    step !== 'done';
    step = nextStep(given(history).state)
  ) {
    if (!isWorkStep(step)) throw new Error(`a successful walk never reaches ${step}`);
    const event = succeeded[step];
    if (!event) throw new Error(`no event for ${step}`);
    visited.push({ step, stage: stageOf(step), ended: stageEndedBy[event.type]?.stage });
    history.push(event);
  }
  return visited;
}

const order = (stage: WorkStage) => workStages.indexOf(stage);

describe('one stage vocabulary', () => {
  it('lists the queue first, then every work stage in order', () => {
    expect(generationStages).toEqual([
      'queued',
      'tts',
      'video',
      'overlay',
      'subtitles',
      'render',
      'delivery',
    ]);
  });

  it.each([
    ['a talking head', started('talking_head', 'none'), ['tts', 'video', 'render', 'delivery']],
    [
      'a talking head with captions',
      started('talking_head', 'classic'),
      ['tts', 'video', 'subtitles', 'render', 'delivery'],
    ],
    [
      'a background video',
      started('background', 'classic'),
      ['tts', 'video', 'overlay', 'subtitles', 'render', 'delivery'],
    ],
  ] as const)(
    'given %s, when it runs through, then its steps pass the stages in order',
    (_, first, expected) => {
      const visited = walk(first);
      expect([...new Set(visited.map((v) => v.stage))]).toEqual(expected);
      for (let i = 1; i < visited.length; i += 1)
        expect(order(visited[i]!.stage)).toBeGreaterThanOrEqual(order(visited[i - 1]!.stage));
    },
  );

  it('given any step, when its result is recorded, then the event ends that step’s stage (or none, for a stored request id)', () => {
    const visited = walk(started('background', 'classic'));
    for (const { step, stage, ended } of visited) {
      if (step === 'request_talking_head') expect(ended).toBeUndefined();
      else expect(ended, step).toBe(stage);
    }
  });

  it('given a started generation, when a step fails at any work stage, then GenerationFailed names that stage', () => {
    for (const stage of workStages) {
      given([started('background', 'classic')])
        .when({ type: 'FailGeneration', stage, reason: 'broke', retryable: false })
        .then([{ type: 'GenerationFailed', data: { stage, reason: 'broke', retryable: false } }]);
    }
  });
});
