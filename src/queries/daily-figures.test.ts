import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { figuresBetween } from './daily-figures.js';
import { generationRow, openQueryWorld, type QueryWorld } from '../testing/queries/query-world.js';

// A local day of UTC+3: [2026-03-09T21:00Z, 2026-03-10T21:00Z).
const window = {
  from: new Date('2026-03-09T21:00:00Z'),
  to: new Date('2026-03-10T21:00:00Z'),
  activityDays: { first: '2026-03-09', last: '2026-03-11' },
};
const inside = '2026-03-10T10:00:00Z';
const before = '2026-03-09T20:59:59Z';
const after = '2026-03-10T21:00:00Z';

describe('daily figures', () => {
  let world: QueryWorld;
  beforeAll(async () => {
    world = await openQueryWorld();
    const { db } = world;
    const user = (id: string, registeredAt: string) => ({
      telegram_id: id,
      language: 'en',
      registered_at: registeredAt,
      last_activity_at: registeredAt,
    });
    await db
      .insertInto('users')
      .values([
        user('1', inside),
        user('2', before),
        user('3', after),
        user('4', '2026-03-09T21:00:00Z'),
      ])
      .execute();
    const activity = (id: string, day: string, first: string, last: string) => ({
      user_id: id,
      activity_date: day,
      events: 1,
      first_at: first,
      last_at: last,
    });
    await db
      .insertInto('user_activity')
      .values([
        activity('1', '2026-03-10', inside, inside),
        // Active from the evening before into the window: counted once.
        activity('2', '2026-03-09', '2026-03-09T20:00:00Z', '2026-03-09T22:00:00Z'),
        activity('2', '2026-03-10', '2026-03-10T01:00:00Z', '2026-03-10T02:00:00Z'),
        activity('3', '2026-03-10', '2026-03-10T22:00:00Z', '2026-03-10T23:00:00Z'),
      ])
      .execute();
    await db
      .insertInto('generation_history')
      .values([
        generationRow('g-done', {
          created_at: inside,
          status: 'completed',
          completed_at: '2026-03-10T10:05:00Z',
        }),
        generationRow('g-failed', {
          created_at: inside,
          status: 'failed',
          failure_stage: 'video',
          failure_reason: 'provider down',
        }),
        generationRow('g-rejected', {
          created_at: inside,
          status: 'audio_rejected',
          failure_stage: 'tts',
          failure_reason: 'too long',
          generation_type: 'background',
        }),
        generationRow('g-running', {
          created_at: inside,
          status: 'video_pending',
          generation_type: 'background',
        }),
        // Ordered the day before, completed in the window: its timings count, the cohort does not.
        generationRow('g-yesterday', {
          created_at: before,
          status: 'completed',
          completed_at: '2026-03-10T08:00:00Z',
        }),
      ])
      .execute();
    const sample = (generationId: string, stage: string, ms: number) => ({
      day: '2026-03-10',
      generation_id: generationId,
      stage,
      elapsed_ms: ms,
    });
    await db
      .insertInto('daily_stats_stage_samples')
      .values([
        sample('g-done', 'tts', 1000),
        sample('g-yesterday', 'tts', 3000),
        sample('g-done', 'video', 20_000),
      ])
      .execute();
    const ledger = (
      position: number,
      kind: 'grant' | 'spend' | 'refund' | 'revoke',
      delta: number,
      at: string,
    ) => ({
      event_id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
      user_id: '1',
      global_position: position,
      kind,
      delta,
      balance_after: 0,
      reason: 'r',
      actor_kind: 'user',
      actor_id: '1',
      operation_id: `op-${position}`,
      created_at: at,
    });
    await db
      .insertInto('credit_ledger')
      .values([
        ledger(1, 'grant', 10, inside),
        ledger(2, 'spend', -2, inside),
        ledger(3, 'spend', -1, inside),
        ledger(4, 'refund', 1, inside),
        ledger(5, 'revoke', -4, after),
      ])
      .execute();
    const payment = (chargeId: string, paidAt: string, refundedAt: string | null) => ({
      charge_id: chargeId,
      user_id: '1',
      order_id: `o-${chargeId}`,
      pack_id: 'p',
      credits: 10,
      stars: 100,
      paid_at: paidAt,
      global_position: 1,
      refunded_at: refundedAt,
    });
    await db
      .insertInto('stars_payments')
      .values([
        payment('c-1', inside, null),
        payment('c-2', before, inside),
        payment('c-3', after, null),
      ])
      .execute();
  });
  afterAll(() => world?.close());

  it('reads the window: new and active users, the cohort, credits, Stars, stage timings and failures', async () => {
    expect(await figuresBetween(world.db, window)).toEqual({
      newUsers: 2,
      activeUsers: 2,
      generations: {
        talking_head: { requested: 2, completed: 1, failed: 1, inProgress: 0 },
        background: { requested: 2, completed: 0, failed: 1, inProgress: 1 },
      },
      credits: { granted: 10, spent: 3, refunded: 1, revoked: 0 },
      stars: { payments: 1, revenue: 100, creditsSold: 10, refunds: 1, refunded: 100 },
      stageTimings: {
        tts: { p50: 2000, p95: 2900, count: 2 },
        video: { p50: 20_000, p95: 20_000, count: 1 },
      },
      topFailures: [
        { stage: 'tts', reason: 'too long', count: 1 },
        { stage: 'video', reason: 'provider down', count: 1 },
      ],
    });
  });

  it('is all zeros for a window without activity', async () => {
    const empty = await figuresBetween(world.db, {
      from: new Date('2026-01-01T00:00:00Z'),
      to: new Date('2026-01-02T00:00:00Z'),
      activityDays: { first: '2025-12-31', last: '2026-01-02' },
    });
    expect(empty).toMatchObject({
      newUsers: 0,
      activeUsers: 0,
      credits: { granted: 0, spent: 0, refunded: 0, revoked: 0 },
      stageTimings: {},
      topFailures: [],
    });
    expect(empty.generations.background).toEqual({
      requested: 0,
      completed: 0,
      failed: 0,
      inProgress: 0,
    });
  });
});
