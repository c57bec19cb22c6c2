import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyDomainEvent } from '../../domain/events/catalog.js';
import {
  generationEvent,
  generationRequested,
  projectionSpec,
  userEvent,
} from '../../testing/projection-spec.js';
import { dailyStatsProjection } from './daily-stats-projection.js';

const registered = (telegramId: number): AnyDomainEvent => ({
  type: 'UserRegistered',
  data: { telegramId, username: null, firstName: null, language: 'en' },
});
const completed = (timings: Record<string, number>): AnyDomainEvent => ({
  type: 'GenerationCompleted',
  data: {
    videoKey: 'final.mp4',
    durationSec: 3,
    width: 1080,
    height: 1920,
    timings,
    providers: {},
    costUsd: null,
  },
});
const day1 = '2026-06-01T10:00:00.000Z';
const day2 = '2026-06-02T10:00:00.000Z';
const system = { kind: 'system', id: 'pipeline' } as const;

describe('daily_stats projection (PGlite)', () => {
  const spec = projectionSpec(dailyStatsProjection);
  beforeAll(spec.open);
  afterAll(spec.close);

  it('new users and active users, counted once a day each', () =>
    spec
      .given(userEvent(1, registered(1), { at: day1 }), userEvent(2, registered(2), { at: day1 }))
      .when(
        userEvent(1, { type: 'LanguageChanged', data: { language: 'ru' } }, { at: day1 }),
        userEvent(1, { type: 'FormatSelected', data: { format: 'talking_head' } }, { at: day2 }),
        // An admin's grant is not the user being active.
        userEvent(
          2,
          { type: 'CreditsGranted', data: { amount: 5, reason: 'gift', grantId: 'g-2' } },
          { at: day2, actor: { kind: 'admin', id: '9' } },
        ),
      )
      .then({
        daily_stats: [
          { day: '2026-06-01', new_users: 2, active_users: 2 },
          { day: '2026-06-02', new_users: 0, active_users: 1, credits_granted: 5 },
        ],
        daily_stats_active_users: [
          { day: '2026-06-01', user_id: '1' },
          { day: '2026-06-01', user_id: '2' },
          { day: '2026-06-02', user_id: '1' },
        ],
      }));

  it('requests, completions and failures by format, on the day each happened', () =>
    spec
      .given(
        userEvent(1, generationRequested('th-1'), { at: day1 }),
        userEvent(
          1,
          generationRequested('bg-1', {
            format: 'background',
            backgroundVideoKey: 'bg.mp4',
            overlayShape: 'circle',
          }),
          { at: day1 },
        ),
        userEvent(1, generationRequested('th-2'), { at: day1 }),
      )
      .when(
        generationEvent('th-1', completed({}), { at: day2 }),
        generationEvent(
          'bg-1',
          { type: 'GenerationFailed', data: { stage: 'overlay', reason: 'x', retryable: false } },
          { at: day2 },
        ),
        generationEvent(
          'th-2',
          { type: 'AudioRejected', data: { durationSec: 90, maxDurationSec: 60 } },
          { at: day2 },
        ),
      )
      .then({
        daily_stats: [
          {
            day: '2026-06-01',
            generations_requested: 3,
            talking_head_requested: 2,
            background_requested: 1,
            generations_completed: 0,
          },
          {
            day: '2026-06-02',
            generations_requested: 0,
            generations_completed: 1,
            talking_head_completed: 1,
            generations_failed: 2,
            background_failed: 1,
            talking_head_failed: 1,
          },
        ],
        daily_stats_generations: [
          { generation_id: 'th-1', format: 'talking_head' },
          { generation_id: 'bg-1', format: 'background' },
          { generation_id: 'th-2', format: 'talking_head' },
        ],
      }));

  it('credits granted, spent, refunded and revoked are summed per day', () =>
    spec
      .given(
        userEvent(
          1,
          { type: 'CreditsGranted', data: { amount: 10, reason: 'welcome', grantId: 'w' } },
          { at: day1, actor: system },
        ),
      )
      .when(
        userEvent(
          1,
          {
            type: 'CreditsSpent',
            data: { amount: 2, reason: 'generation', spendId: 's-1', generationId: 'g-1' },
          },
          { at: day1 },
        ),
        userEvent(
          1,
          {
            type: 'CreditsSpent',
            data: { amount: 3, reason: 'generation', spendId: 's-2', generationId: 'g-2' },
          },
          { at: day1 },
        ),
        userEvent(
          1,
          {
            type: 'CreditsRefunded',
            data: { amount: 3, reason: 'generation_failed', spendId: 's-2', generationId: 'g-2' },
          },
          { at: day1, actor: system },
        ),
        userEvent(
          1,
          { type: 'CreditsRevoked', data: { amount: 1, reason: 'abuse', revokeId: 'r-1' } },
          { at: day1, actor: { kind: 'admin', id: '9' } },
        ),
      )
      .then({
        daily_stats: [
          {
            day: '2026-06-01',
            credits_granted: 10,
            credits_spent: 5,
            credits_refunded: 3,
            credits_revoked: 1,
          },
        ],
      }));

  it('stage timings: p50, p95 and count per stage over the completions of the day', () =>
    spec
      .given(...['a', 'b', 'c'].map((id) => userEvent(1, generationRequested(id), { at: day1 })))
      .when(
        generationEvent('a', completed({ tts: 100, video: 1000 }), { at: day1 }),
        generationEvent('b', completed({ tts: 200, video: 3000 }), { at: day1 }),
        generationEvent('c', completed({ tts: 300 }), { at: day1 }),
      )
      .then(async ({ rows }) => {
        const [stats] = await rows('daily_stats');
        expect(stats?.stage_timings).toEqual({
          tts: { p50: 200, p95: 290, count: 3 },
          video: { p50: 2000, p95: 2900, count: 2 },
        });
        expect(await rows('daily_stats_stage_samples', 'generation_id', 'stage')).toMatchObject([
          { generation_id: 'a', stage: 'tts', elapsed_ms: 100 },
          { generation_id: 'a', stage: 'video', elapsed_ms: 1000 },
          { generation_id: 'b', stage: 'tts', elapsed_ms: 200 },
          { generation_id: 'b', stage: 'video', elapsed_ms: 3000 },
          { generation_id: 'c', stage: 'tts', elapsed_ms: 300 },
        ]);
      }));

  it('a completion of a generation requested before the log began still counts, without a format', () =>
    spec
      .given()
      .when(generationEvent('old', completed({}), { at: day1 }))
      .then({
        daily_stats: [
          {
            day: '2026-06-01',
            generations_completed: 1,
            talking_head_completed: 0,
            background_completed: 0,
          },
        ],
      }));
});
