import { describe, expect, it } from 'vitest';
import type { GenerationEvent } from '../events/generation-events.js';
import type { GenerationRequestedData } from '../events/user-events.js';
import { givenFor } from '../../testing/domain/given-when-then.js';
import { startGenerationFrom, type GenerationCommand } from './commands.js';
import { generationDecider } from './generation-decider.js';
import { nextStep } from './next-step.js';
import { needsRefund } from './state.js';

const given = givenFor(generationDecider);

const requested: GenerationRequestedData = {
  generationId: 'gen-1',
  format: 'talking_head',
  characterId: 'c1',
  characterImageKey: 'characters/c1.png',
  characterGender: 'female',
  characterAge: '25-35',
  voiceId: 'v1',
  voiceProvider: 'elevenlabs',
  script: 'Buy **now**',
  speechText: 'Buy now',
  backgroundVideoKey: null,
  overlayShape: null,
  cost: 1,
};
const at = '2026-03-01T10:00:00.000Z';

const startedTH: GenerationEvent = {
  type: 'GenerationStarted',
  data: {
    generationId: 'gen-1',
    userId: 42,
    format: 'talking_head',
    characterImageKey: 'characters/c1.png',
    voiceId: 'v1',
    voiceProvider: 'elevenlabs',
    speechText: 'Buy now',
    backgroundVideoKey: null,
    overlayShape: null,
    cost: 1,
    requestedAt: at,
    captionStyle: 'none',
  },
};
const startedBG: GenerationEvent = {
  type: 'GenerationStarted',
  data: {
    ...startedTH.data,
    format: 'background',
    backgroundVideoKey: 'uploads/bg.mp4',
    overlayShape: 'cutout',
    captionStyle: 'classic',
  },
};
const startedCaptionedTH: GenerationEvent = {
  type: 'GenerationStarted',
  data: { ...startedTH.data, captionStyle: 'bold' },
};

const words = [
  { word: 'Buy', start: 0, end: 0.3 },
  { word: 'now', start: 0.35, end: 0.7 },
];
const recordAudio = {
  type: 'RecordAudio',
  audioKey: 'audio/gen-1.mp3',
  durationSec: 4.2,
  maxDurationSec: 15,
  provider: 'elevenlabs',
  elapsedMs: 900,
  words,
} as const satisfies GenerationCommand;
const audio: GenerationEvent = {
  type: 'AudioSynthesized',
  data: {
    audioKey: 'audio/gen-1.mp3',
    durationSec: 4.2,
    provider: 'elevenlabs',
    elapsedMs: 900,
    words,
  },
};
const thRequested: GenerationEvent = {
  type: 'TalkingHeadRequested',
  data: { provider: 'fal', requestId: 'req-1' },
};
const thGenerated: GenerationEvent = {
  type: 'TalkingHeadGenerated',
  data: {
    videoKey: 'video/head.mp4',
    durationSec: 4.3,
    provider: 'fal',
    elapsedMs: 60_000,
    lipSync: true,
    costUsd: 0.42,
  },
};
const recordTalkingHead = {
  type: 'RecordTalkingHead',
  videoKey: 'video/head.mp4',
  durationSec: 4.3,
  provider: 'fal',
  elapsedMs: 60_000,
  lipSync: true,
  costUsd: 0.42,
} as const satisfies GenerationCommand;
const overlayRequested: GenerationEvent = {
  type: 'OverlayRequested',
  data: { provider: 'modal', requestId: 'ov-1', shape: 'cutout' },
};
const overlayRendered: GenerationEvent = {
  type: 'OverlayRendered',
  data: { videoKey: 'video/overlay.mp4', provider: 'modal', elapsedMs: 20_000 },
};
const subtitles: GenerationEvent = {
  type: 'SubtitlesBurned',
  data: { videoKey: 'video/final.mp4', provider: 'ffmpeg', elapsedMs: 3_000 },
};
const complete = {
  type: 'CompleteGeneration',
  videoKey: 'video/final.mp4',
  durationSec: 4.3,
  width: 1080,
  height: 1920,
} as const satisfies GenerationCommand;
const completedTH: GenerationEvent = {
  type: 'GenerationCompleted',
  data: {
    videoKey: 'video/final.mp4',
    durationSec: 4.3,
    width: 1080,
    height: 1920,
    timings: { tts: 900, talking_head: 60_000 },
    providers: { tts: 'elevenlabs', talking_head: 'fal' },
    costUsd: 0.42,
  },
};
const fail = {
  type: 'FailGeneration',
  stage: 'video',
  reason: 'provider 500',
  retryable: true,
} as const;
const failed: GenerationEvent = {
  type: 'GenerationFailed',
  data: { stage: 'video', reason: 'provider 500', retryable: true },
};

const thReady = [startedTH, audio, thRequested, thGenerated];
const bgReady = [startedBG, audio, thRequested, thGenerated];

describe('start', () => {
  it('starts from a GenerationRequested', () => {
    const state = given()
      .when(startGenerationFrom(42, requested, at))
      .then([startedTH]);
    expect(state.status).toBe('started');
    expect(state.request?.userId).toBe(42);
  });

  it('starts a background generation with the chosen shape, or the cut-out when none was chosen', () => {
    given()
      .when(
        startGenerationFrom(
          42,
          {
            ...requested,
            format: 'background',
            backgroundVideoKey: 'uploads/bg.mp4',
            overlayShape: 'circle',
          },
          at,
        ),
      )
      .then([{ ...startedBG, data: { ...startedBG.data, overlayShape: 'circle' } }]);
    given()
      .when(
        startGenerationFrom(
          42,
          { ...requested, format: 'background', backgroundVideoKey: 'uploads/bg.mp4' },
          at,
        ),
      )
      .then([{ ...startedBG, data: { ...startedBG.data, overlayShape: 'cutout' } }]);
  });

  it('refuses a background generation without a background video', () => {
    given()
      .when(startGenerationFrom(42, { ...requested, format: 'background' }, at))
      .then('invalid_request');
  });

  it('rejects starting an existing stream', () => {
    given([startedTH])
      .when(startGenerationFrom(42, requested, at))
      .then('already_started');
    given([startedTH, failed])
      .when(startGenerationFrom(42, requested, at))
      .then('already_started');
  });
});

describe('audio', () => {
  it('records synthesized audio', () => {
    const state = given([startedTH]).when(recordAudio).then([audio]);
    expect(state.status).toBe('audio_ready');
  });

  it('rejects audio over the limit instead of synthesizing it', () => {
    const state = given([startedTH])
      .when({ ...recordAudio, durationSec: 15.01 })
      .then([{ type: 'AudioRejected', data: { durationSec: 15.01, maxDurationSec: 15 } }]);
    expect(state.status).toBe('audio_rejected');
  });

  it('accepts audio exactly at the limit', () => {
    given([startedTH])
      .when({ ...recordAudio, durationSec: 15 })
      .then([{ ...audio, data: { ...audio.data, durationSec: 15 } }]);
  });

  it('refuses unusable durations', () => {
    given([startedTH])
      .when({ ...recordAudio, durationSec: 0 })
      .thenRejects('invalid_result', { field: 'durationSec' });
    given([startedTH])
      .when({ ...recordAudio, durationSec: Number.NaN })
      .then('invalid_result');
    given([startedTH])
      .when({ ...recordAudio, elapsedMs: -1 })
      .then('invalid_result');
  });

  it('records audio only once, after the start', () => {
    given()
      .when(recordAudio)
      .thenRejects('invalid_transition', { from: 'not_started', to: 'audio_ready' });
    given([startedTH, audio])
      .when(recordAudio)
      .thenRejects('invalid_transition', { from: 'audio_ready', to: 'audio_ready' });
  });
});

describe('talking head', () => {
  const request = {
    type: 'RecordTalkingHeadRequest',
    provider: 'fal',
    requestId: 'req-1',
  } as const;

  it('stores the provider request id before the result', () => {
    const state = given([startedTH, audio]).when(request).then([thRequested]);
    expect(state.talkingHead).toEqual({ provider: 'fal', requestId: 'req-1', result: null });
  });

  it('replaces a lost request with a new one', () => {
    const state = given([startedTH, audio, thRequested])
      .when({ ...request, requestId: 'req-2' })
      .then([{ type: 'TalkingHeadRequested', data: { provider: 'fal', requestId: 'req-2' } }]);
    expect(state.talkingHead?.requestId).toBe('req-2');
  });

  it('records the generated talking head', () => {
    const state = given([startedTH, audio, thRequested])
      .when(recordTalkingHead)
      .then([thGenerated]);
    expect(state.status).toBe('talking_head_ready');
    expect(state.talkingHead?.requestId).toBe('req-1');
  });

  it('records a synchronous provider result without a request', () => {
    const state = given([startedTH, audio])
      .when({ ...recordTalkingHead, provider: 'ffmpeg', lipSync: false, costUsd: null })
      .then([
        {
          type: 'TalkingHeadGenerated',
          data: { ...thGenerated.data, provider: 'ffmpeg', lipSync: false, costUsd: null },
        },
      ]);
    expect(state.talkingHead).toMatchObject({ provider: 'ffmpeg', requestId: null });
  });

  it('needs audio first', () => {
    given([startedTH])
      .when(request)
      .thenRejects('invalid_transition', { from: 'started', to: 'talking_head_requested' });
    given([startedTH]).when(recordTalkingHead).then('invalid_transition');
    given(thReady).when(recordTalkingHead).then('invalid_transition');
  });
});

describe('overlay and subtitles (background format)', () => {
  const request = { type: 'RecordOverlayRequest', provider: 'modal', requestId: 'ov-1' } as const;
  const overlay = {
    type: 'RecordOverlay',
    videoKey: 'video/overlay.mp4',
    provider: 'modal',
    elapsedMs: 20_000,
  } as const;
  const burn = {
    type: 'RecordSubtitles',
    videoKey: 'video/final.mp4',
    provider: 'ffmpeg',
    elapsedMs: 3_000,
  } as const;

  it('requests the overlay in the shape the user chose', () => {
    const state = given(bgReady).when(request).then([overlayRequested]);
    expect(state.overlay).toMatchObject({ requestId: 'ov-1', shape: 'cutout', result: null });
  });

  it('records the overlay after a request or directly', () => {
    given([...bgReady, overlayRequested])
      .when(overlay)
      .then([overlayRendered]);
    const state = given(bgReady).when(overlay).then([overlayRendered]);
    expect(state.overlay?.shape).toBe('cutout');
  });

  it('burns subtitles after the overlay', () => {
    const state = given([...bgReady, overlayRequested, overlayRendered])
      .when(burn)
      .then([subtitles]);
    expect(state.status).toBe('subtitled');
  });

  it('has no overlay or subtitles in the talking-head format', () => {
    given(thReady)
      .when(request)
      .thenRejects('invalid_transition', { from: 'talking_head_ready', format: 'talking_head' });
    given(thReady).when(overlay).then('invalid_transition');
    given(thReady).when(burn).then('invalid_transition');
  });

  it('keeps the order overlay → subtitles', () => {
    given(bgReady)
      .when(burn)
      .thenRejects('invalid_transition', { from: 'talking_head_ready', to: 'subtitled' });
    given([startedBG, audio]).when(request).then('invalid_transition');
    given([...bgReady, overlayRequested, overlayRendered])
      .when(overlay)
      .then('invalid_transition');
  });
});

describe('captions over the talking head', () => {
  const captionedReady = [startedCaptionedTH, audio, thRequested, thGenerated];
  const burn = {
    type: 'RecordSubtitles',
    videoKey: 'video/final.mp4',
    provider: 'ffmpeg',
    elapsedMs: 3_000,
  } as const;

  it("starts with the style the user picked, and upcasts a request from before the choice to its format's old captions", () => {
    given()
      .when(startGenerationFrom(42, { ...requested, captionStyle: 'bold' }, at))
      .then([startedCaptionedTH]);
    given()
      .when(startGenerationFrom(42, requested, at))
      .then([startedTH]);
    given()
      .when(
        startGenerationFrom(
          42,
          { ...requested, format: 'background', backgroundVideoKey: 'uploads/bg.mp4' },
          at,
        ),
      )
      .then([startedBG]);
  });

  it('burns them after the video and completes from the captioned cut', () => {
    const state = given(captionedReady).when(burn).then([subtitles]);
    expect(state.status).toBe('subtitled');
    expect(nextStep(given(captionedReady).state)).toBe('subtitles');
    expect(nextStep(state)).toBe('complete');
    given([...captionedReady, subtitles])
      .when(complete)
      .then([
        {
          type: 'GenerationCompleted',
          data: {
            videoKey: 'video/final.mp4',
            durationSec: 4.3,
            width: 1080,
            height: 1920,
            timings: { tts: 900, talking_head: 60_000, subtitles: 3_000 },
            providers: { tts: 'elevenlabs', talking_head: 'fal', subtitles: 'ffmpeg' },
            costUsd: 0.42,
          },
        },
      ]);
  });

  it('refuses to complete a captioned talking head before its captions', () => {
    given(captionedReady)
      .when(complete)
      .thenRejects('invalid_transition', { from: 'talking_head_ready', to: 'completed' });
  });

  it('has no captions step for a talking head without captions, as before the choice existed', () => {
    expect(nextStep(given(thReady).state)).toBe('complete');
    given(thReady).when(burn).then('invalid_transition');
    // A GenerationStarted stored before the field existed reads as the talking head's old default:
    // none.
    const { captionStyle: _dropped, ...legacy } = startedTH.data as Record<string, unknown>;
    const old = { type: 'GenerationStarted', data: legacy } as GenerationEvent;
    expect(nextStep(given([old, audio, thRequested, thGenerated]).state)).toBe('complete');
  });
});

describe('completion', () => {
  it('completes a talking head straight after the video, with recorded timings', () => {
    const state = given(thReady).when(complete).then([completedTH]);
    expect(state.status).toBe('completed');
  });

  it('completes a background video after overlay and subtitles', () => {
    given([...bgReady, overlayRequested, overlayRendered, subtitles])
      .when({
        ...complete,
        costUsd: 0.5,
        timings: { total: 90_000 },
        providers: { render: 'ffmpeg' },
      })
      .then([
        {
          type: 'GenerationCompleted',
          data: {
            videoKey: 'video/final.mp4',
            durationSec: 4.3,
            width: 1080,
            height: 1920,
            timings: {
              tts: 900,
              talking_head: 60_000,
              overlay: 20_000,
              subtitles: 3_000,
              total: 90_000,
            },
            providers: {
              tts: 'elevenlabs',
              talking_head: 'fal',
              overlay: 'modal',
              subtitles: 'ffmpeg',
              render: 'ffmpeg',
            },
            costUsd: 0.5,
          },
        },
      ]);
  });

  it('refuses to complete a background video before its subtitles', () => {
    given(bgReady)
      .when(complete)
      .thenRejects('invalid_transition', { from: 'talking_head_ready', to: 'completed' });
    given([...bgReady, overlayRequested, overlayRendered])
      .when(complete)
      .then('invalid_transition');
    given([startedTH, audio, thRequested]).when(complete).then('invalid_transition');
  });

  it('refuses unusable results', () => {
    given(thReady)
      .when({ ...complete, width: 0 })
      .then('invalid_result');
    given(thReady)
      .when({ ...complete, height: 1.5 })
      .then('invalid_result');
  });

  it('marks a completed video delivered', () => {
    const state = given([...thReady, completedTH])
      .when({ type: 'MarkDelivered', chatId: 42, messageId: 7 })
      .then([{ type: 'VideoDelivered', data: { chatId: 42, messageId: 7 } }]);
    expect(state.status).toBe('delivered');
    given(thReady)
      .when({ type: 'MarkDelivered', chatId: 42, messageId: 7 })
      .then('invalid_transition');
  });
});

describe('failure and terminal states', () => {
  it('fails from any stage in progress', () => {
    for (const history of [
      [startedTH],
      [startedTH, audio],
      [startedTH, audio, thRequested],
      thReady,
      [...bgReady, overlayRequested],
    ]) {
      const state = given(history).when(fail).then([failed]);
      expect(state.status).toBe('failed');
      expect(state.failure).toEqual(failed.data);
    }
  });

  it('never fails a completed video, not even over delivery: the user keeps what was rendered', () => {
    given([...thReady, completedTH])
      .when({ ...fail, stage: 'delivery', reason: 'bot blocked' })
      .thenRejects('invalid_transition', { from: 'completed', to: 'failed' });
    given([...thReady, completedTH])
      .when(fail)
      .thenRejects('invalid_transition', { from: 'completed', to: 'failed' });
  });

  it('cannot fail what has not started', () => {
    given().when(fail).then('invalid_transition');
  });

  const delivered: GenerationEvent = { type: 'VideoDelivered', data: { chatId: 42, messageId: 7 } };
  const terminal: Record<string, GenerationEvent[]> = {
    failed: [startedTH, failed],
    audio_rejected: [
      startedTH,
      { type: 'AudioRejected', data: { durationSec: 20, maxDurationSec: 15 } },
    ],
    delivered: [...thReady, completedTH, delivered],
    delivery_abandoned: [
      ...thReady,
      completedTH,
      { type: 'VideoDeliveryAbandoned', data: { reason: 'blocked', errorCode: 403, attempts: 1 } },
    ],
  };
  const everyCommand: GenerationCommand[] = [
    recordAudio,
    { type: 'RecordTalkingHeadRequest', provider: 'fal', requestId: 'r' },
    recordTalkingHead,
    { type: 'RecordOverlayRequest', provider: 'modal', requestId: 'o' },
    { type: 'RecordOverlay', videoKey: 'v', provider: 'modal', elapsedMs: 1 },
    { type: 'RecordSubtitles', videoKey: 'v', provider: 'ffmpeg', elapsedMs: 1 },
    complete,
    fail,
    { ...fail, stage: 'delivery' },
    { type: 'MarkDelivered', chatId: 42, messageId: 7 },
    { type: 'RecordSendAttempt', at },
    { type: 'RecordSendFailure', errorCode: 429, reason: 'flood', retryAfterSec: 70 },
    { type: 'AbandonDelivery', reason: 'blocked', errorCode: 403 },
  ];

  for (const [status, history] of Object.entries(terminal)) {
    it(`accepts nothing once ${status}`, () => {
      for (const command of everyCommand)
        given(history).when(command).thenRejects('invalid_transition', { from: status });
      given(history)
        .when(startGenerationFrom(42, requested, at))
        .then('already_started');
    });
  }
});

describe('sending the finished video', () => {
  const completed = [...thReady, completedTH];
  const attempted = (attempt: number, when = at): GenerationEvent => ({
    type: 'VideoSendAttempted',
    data: { attempt, at: when },
  });
  const flood: GenerationEvent = {
    type: 'VideoSendFailed',
    data: { attempt: 1, errorCode: 429, reason: 'Too Many Requests', retryAfterSec: 70 },
  };

  it('records an attempt before each upload, numbered, remembering when the first one started', () => {
    const state = given(completed)
      .when({ type: 'RecordSendAttempt', at })
      .then([attempted(1)]);
    expect(state.status).toBe('completed');
    expect(state.sending).toEqual({
      attempts: 1,
      firstAttemptAt: at,
      pending: true,
      lastFailure: null,
    });
    const later = '2026-03-01T10:01:10.000Z';
    const second = given([...completed, attempted(1), flood])
      .when({ type: 'RecordSendAttempt', at: later })
      .then([attempted(2, later)]);
    expect(second.sending).toMatchObject({ attempts: 2, firstAttemptAt: at, pending: true });
  });

  it('refuses a new upload while an earlier one has no answer: it may already be in the chat', () => {
    given([...completed, attempted(1)])
      .when({ type: 'RecordSendAttempt', at })
      .thenRejects('send_outcome_unknown', { attempt: 1 });
  });

  it('settles a pending attempt with the error Telegram answered, which makes a new upload safe', () => {
    const state = given([...completed, attempted(1)])
      .when({
        type: 'RecordSendFailure',
        errorCode: 429,
        reason: 'Too Many Requests',
        retryAfterSec: 70,
      })
      .then([flood]);
    expect(state.sending).toMatchObject({ pending: false, lastFailure: flood.data });
    given(completed)
      .when({ type: 'RecordSendFailure', errorCode: 500, reason: 'x', retryAfterSec: null })
      .then('no_pending_send');
    given([...completed, attempted(1)])
      .when({ type: 'RecordSendFailure', errorCode: 429, reason: 'x', retryAfterSec: -1 })
      .then('invalid_result');
  });

  it('delivers with the message id, the file id and how it got there', () => {
    const state = given([...completed, attempted(1)])
      .when({ type: 'MarkDelivered', chatId: 42, messageId: 9, fileId: 'BAAC-file', via: 'video' })
      .then([
        {
          type: 'VideoDelivered',
          data: { chatId: 42, messageId: 9, fileId: 'BAAC-file', via: 'video' },
        },
      ]);
    expect(state.status).toBe('delivered');
    expect(state.sending.pending).toBe(false);
    given([...completed, attempted(1)])
      .when({ type: 'MarkDelivered', chatId: 42, messageId: 10, via: 'link' })
      .then([{ type: 'VideoDelivered', data: { chatId: 42, messageId: 10, via: 'link' } }]);
  });

  it("abandons the delivery without failing the generation: no refund, the video stays the user's", () => {
    const state = given([...completed, attempted(1), flood])
      .when({
        type: 'AbandonDelivery',
        reason: 'Telegram asked to wait 1000 s, past the 900 s ceiling',
        errorCode: 429,
      })
      .then([
        {
          type: 'VideoDeliveryAbandoned',
          data: {
            reason: 'Telegram asked to wait 1000 s, past the 900 s ceiling',
            errorCode: 429,
            attempts: 1,
          },
        },
      ]);
    expect(state.status).toBe('delivery_abandoned');
    expect(state.result).toEqual(completedTH.data);
    expect(needsRefund(state)).toBe(false);
    expect(nextStep(state)).toBe('done');
    given(thReady)
      .when({ type: 'AbandonDelivery', reason: 'x', errorCode: null })
      .then('invalid_transition');
  });
});

describe('the progress message', () => {
  const ref = { chatId: 42, messageId: 5 };

  it('starts as the confirmation message named in the request', () => {
    const state = given()
      .when(startGenerationFrom(42, { ...requested, progressMessage: ref }, at))
      .then([{ type: 'GenerationStarted', data: { ...startedTH.data, progressMessage: ref } }]);
    expect(state.progressMessage).toEqual(ref);
    expect(given([startedTH]).state.progressMessage).toBeNull();
  });

  it('records a posted one once, in any started state, so every instance edits the same message', () => {
    const posted: GenerationEvent = {
      type: 'ProgressMessagePosted',
      data: { chatId: 42, messageId: 11 },
    };
    for (const history of [[startedTH], [...thReady, completedTH], [startedTH, failed]]) {
      const state = given(history)
        .when({ type: 'RecordProgressMessage', chatId: 42, messageId: 11 })
        .then([posted]);
      expect(state.progressMessage).toEqual({ chatId: 42, messageId: 11 });
      given([...history, posted])
        .when({ type: 'RecordProgressMessage', chatId: 42, messageId: 11 })
        .then([]);
    }
    given()
      .when({ type: 'RecordProgressMessage', chatId: 42, messageId: 11 })
      .then('invalid_transition');
    given([startedTH])
      .when({ type: 'RecordProgressMessage', chatId: 42, messageId: 0 })
      .then('invalid_result');
  });
});
