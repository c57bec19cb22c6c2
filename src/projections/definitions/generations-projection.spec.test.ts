import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generationEvent,
  generationRequested,
  projectionSpec,
  userEvent,
} from '../../testing/projection-spec.js';
import { generationsProjection } from './generations-projection.js';

const requested = userEvent(
  7,
  generationRequested('g-1', {
    characterId: 'max',
    characterGender: 'male',
    characterAge: '30-40',
    voiceId: 'en-m-1',
    script: 'Buy now',
    cost: 2,
  }),
);
const g1 = (event: Parameters<typeof generationEvent>[1], at?: string) =>
  generationEvent('g-1', event, at === undefined ? {} : { at });

describe('generations projection (PGlite)', () => {
  const spec = projectionSpec(generationsProjection);
  beforeAll(spec.open);
  afterAll(spec.close);

  it('a request opens the history row from the user stream', () =>
    spec
      .given()
      .when(requested)
      .then({
        generation_history: [
          {
            generation_id: 'g-1',
            user_id: '7',
            generation_type: 'talking_head',
            status: 'requested',
            character_id: 'max',
            character_gender: 'male',
            character_age: '30-40',
            voice_id: 'en-m-1',
            overlay_shape: null,
            text_prompt: 'Buy now',
            credits_spent: 2,
            credits_refunded: 0,
            image_key: 'catalog/anna.png',
            providers: {},
            timings_ms: {},
            send_attempts: 0,
          },
        ],
        assets: [],
      }));

  it('each stage moves the status and adds its timing, provider and file', () =>
    spec
      .given(requested)
      .when(
        g1({
          type: 'AudioSynthesized',
          data: {
            audioKey: 'gen/g-1/speech.wav',
            durationSec: 3.5,
            provider: 'espeak',
            elapsedMs: 120,
            words: [],
          },
        }),
        g1({
          type: 'TalkingHeadRequested',
          data: { provider: 'local-portrait', requestId: 'r-1' },
        }),
        g1({
          type: 'TalkingHeadGenerated',
          data: {
            videoKey: 'gen/g-1/head.mp4',
            durationSec: 3.5,
            provider: 'local-portrait',
            elapsedMs: 900,
            lipSync: true,
            costUsd: null,
          },
        }),
        g1(
          {
            type: 'GenerationCompleted',
            data: {
              videoKey: 'gen/g-1/final.mp4',
              durationSec: 3.6,
              width: 1080,
              height: 1920,
              timings: { total: 1100 },
              providers: { delivery: 'telegram' },
              costUsd: 0,
            },
          },
          '2026-03-01T09:10:00.000Z',
        ),
      )
      .then(async ({ rows }) => {
        expect(await rows('generation_history')).toMatchObject([
          {
            status: 'completed',
            audio_key: 'gen/g-1/speech.wav',
            audio_duration_sec: 3.5,
            video_key: 'gen/g-1/final.mp4',
            video_duration_sec: 3.6,
            width: 1080,
            height: 1920,
            timings_ms: { tts: 120, video: 900, total: 1100 },
            providers: { tts: 'espeak', video: 'local-portrait', delivery: 'telegram' },
            cost_usd: 0,
            completed_at: new Date('2026-03-01T09:10:00.000Z'),
          },
        ]);
        expect(await rows('assets', 'id')).toMatchObject([
          {
            id: 'g-1:audio',
            user_id: '7',
            type: 'audio',
            storage_key: 'gen/g-1/speech.wav',
            generation_id: 'g-1',
            meta_json: { durationSec: 3.5 },
          },
          {
            id: 'g-1:final_video',
            type: 'final_video',
            storage_key: 'gen/g-1/final.mp4',
            meta_json: { durationSec: 3.6, width: 1080, height: 1920 },
          },
          {
            id: 'g-1:talking_head',
            type: 'talking_head',
            storage_key: 'gen/g-1/head.mp4',
            meta_json: { lipSync: true },
          },
        ]);
      }));

  it('the background format records its overlay and subtitles steps', () =>
    spec
      .given(
        userEvent(
          7,
          generationRequested('g-1', {
            format: 'background',
            backgroundVideoKey: 'uploads/7/bg.mp4',
            overlayShape: 'circle',
          }),
        ),
      )
      .when(
        g1({
          type: 'OverlayRendered',
          data: { videoKey: 'gen/g-1/overlay.mp4', provider: 'local-ffmpeg', elapsedMs: 700 },
        }),
        g1({
          type: 'SubtitlesBurned',
          data: { videoKey: 'gen/g-1/subs.mp4', provider: 'ffmpeg', elapsedMs: 300 },
        }),
      )
      .then({
        generation_history: [
          {
            generation_type: 'background',
            overlay_shape: 'circle',
            status: 'subtitled',
            timings_ms: { overlay: 700, render: 300 },
            providers: { overlay: 'local-ffmpeg', render: 'ffmpeg' },
          },
        ],
      }));

  it('a failure and its refund: stage, reason and the credits given back', () =>
    spec
      .given(requested)
      .when(
        g1({
          type: 'GenerationFailed',
          data: { stage: 'video', reason: 'provider down', retryable: false },
        }),
        userEvent(
          7,
          {
            type: 'CreditsRefunded',
            data: { amount: 2, reason: 'generation_failed', spendId: 's-1', generationId: 'g-1' },
          },
          { actor: { kind: 'system', id: 'pipeline' } },
        ),
      )
      .then({
        generation_history: [
          {
            status: 'failed',
            failure_stage: 'video',
            failure_reason: 'provider down',
            credits_refunded: 2,
          },
        ],
      }));

  it('speech too long is rejected at the tts stage', () =>
    spec
      .given(requested)
      .when(g1({ type: 'AudioRejected', data: { durationSec: 75.25, maxDurationSec: 60 } }))
      .then({
        generation_history: [
          {
            status: 'audio_rejected',
            failure_stage: 'tts',
            failure_reason: 'speech is 75.3 s, the limit is 60 s',
            audio_duration_sec: 75.25,
          },
        ],
      }));

  it('delivery: attempts fold as a maximum, the answer and the file id are kept', () =>
    spec
      .given(requested)
      .when(
        g1({ type: 'VideoSendAttempted', data: { attempt: 1, at: '2026-03-01T09:00:05.000Z' } }),
        g1({
          type: 'VideoSendFailed',
          data: { attempt: 1, errorCode: 429, reason: 'Too Many Requests', retryAfterSec: 3 },
        }),
        g1({ type: 'VideoSendAttempted', data: { attempt: 2, at: '2026-03-01T09:00:09.000Z' } }),
        g1(
          { type: 'VideoDelivered', data: { chatId: 7, messageId: 99, fileId: 'file-1' } },
          '2026-03-01T09:00:10.000Z',
        ),
      )
      .then({
        generation_history: [
          {
            send_attempts: 2,
            delivery_note: 'Too Many Requests',
            delivery_status: 'video',
            telegram_file_id: 'file-1',
            delivered_at: new Date('2026-03-01T09:00:10.000Z'),
          },
        ],
      }));

  it('an abandoned delivery keeps the completed status', () =>
    spec
      .given(
        requested,
        g1({
          type: 'GenerationCompleted',
          data: {
            videoKey: 'gen/g-1/final.mp4',
            durationSec: 3,
            width: 1080,
            height: 1920,
            timings: {},
            providers: {},
            costUsd: null,
          },
        }),
      )
      .when(
        g1({
          type: 'VideoDeliveryAbandoned',
          data: { reason: 'bot blocked', errorCode: 403, attempts: 1 },
        }),
      )
      .then({
        generation_history: [
          { status: 'completed', delivery_status: 'abandoned', delivery_note: 'bot blocked' },
        ],
      }));

  it("a user's uploads and accepted edits become assets, once each", () =>
    spec
      .given()
      .when(
        userEvent(7, {
          type: 'BackgroundVideoUploaded',
          data: {
            assetId: 'bg-1',
            storageKey: 'uploads/7/bg.mp4',
            durationSec: 9,
            sizeBytes: 2048,
            width: 720,
            height: 1280,
            mimeType: 'video/mp4',
          },
        }),
        userEvent(7, {
          type: 'CharacterEdited',
          data: { editId: 'e-1', imageKey: 'edits/7/e-1.png', iteration: 1, provider: 'fal' },
        }),
      )
      .then({
        assets: [
          {
            id: 'bg-1',
            user_id: '7',
            type: 'background_video',
            storage_key: 'uploads/7/bg.mp4',
            file_size: '2048',
            generation_id: null,
            meta_json: { durationSec: 9, width: 720, height: 1280, mimeType: 'video/mp4' },
          },
          {
            id: 'edit:e-1',
            type: 'character_edit',
            storage_key: 'edits/7/e-1.png',
            file_size: null,
            meta_json: { iteration: 1, provider: 'fal' },
          },
        ],
        generation_history: [],
      }));

  it('events of a generation nobody requested change nothing', () =>
    spec
      .given()
      .when(
        g1({
          type: 'AudioSynthesized',
          data: { audioKey: 'a.wav', durationSec: 1, provider: 'espeak', elapsedMs: 1, words: [] },
        }),
      )
      .then({ generation_history: [], assets: [] }));
});
