import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generationDownloadOf,
  generationHistoryPageOf,
  generationTotalsOf,
  listGenerations,
} from './generation-history-queries.js';
import { generationRow, openQueryWorld, type QueryWorld } from '../testing/queries/query-world.js';

describe('generation history queries', () => {
  let world: QueryWorld;
  beforeAll(async () => {
    world = await openQueryWorld();
    await world.db
      .insertInto('generation_history')
      .values([
        generationRow('g-1', {
          created_at: '2026-03-01T09:00:00Z',
          status: 'completed',
          credits_spent: 2,
          video_key: 'generations/g-1/final.mp4',
        }),
        generationRow('g-2', {
          created_at: '2026-03-02T09:00:00Z',
          status: 'failed',
          credits_spent: 2,
          credits_refunded: 2,
        }),
        generationRow('g-3', {
          created_at: '2026-03-03T09:00:00Z',
          status: 'audio_rejected',
          credits_spent: 1,
          credits_refunded: 1,
          generation_type: 'background',
        }),
        generationRow('g-4', {
          created_at: '2026-03-03T09:00:00Z',
          status: 'video_pending',
          credits_spent: 1,
        }),
        generationRow('g-other', {
          user_id: '8',
          created_at: '2026-03-02T12:00:00Z',
          status: 'completed',
          video_key: 'generations/g-other/final.mp4',
        }),
      ])
      .execute();
  });
  afterAll(() => world?.close());

  it("counts one user's generations by outcome and the credits they kept", async () => {
    expect(await generationTotalsOf(world.db, 7)).toEqual({
      total: 4,
      completed: 1,
      failed: 2,
      creditsSpent: 3,
    });
    expect(await generationTotalsOf(world.db, 9)).toEqual({
      total: 0,
      completed: 0,
      failed: 0,
      creditsSpent: 0,
    });
  });

  it("pages one user's generations newest first, the id breaking ties", async () => {
    const first = await generationHistoryPageOf(world.db, 7, { offset: 0, limit: 3 });
    expect(first.map((row) => row.generation_id)).toEqual(['g-4', 'g-3', 'g-2']);
    expect(first[1]).toMatchObject({
      generation_type: 'background',
      status: 'audio_rejected',
      credits_refunded: 1,
      video_key: null,
      delivery_status: null,
    });
    const second = await generationHistoryPageOf(world.db, 7, { offset: 3, limit: 3 });
    expect(second.map((row) => [row.generation_id, row.video_key])).toEqual([
      ['g-1', 'generations/g-1/final.mp4'],
    ]);
  });

  it("finds a generation's video only for its owner", async () => {
    expect(await generationDownloadOf(world.db, 7, 'g-1')).toEqual({
      status: 'completed',
      video_key: 'generations/g-1/final.mp4',
    });
    expect(await generationDownloadOf(world.db, 7, 'g-other')).toBeUndefined();
    expect(await generationDownloadOf(world.db, 8, 'g-1')).toBeUndefined();
  });

  it('lists every user’s generations with filters, newest first', async () => {
    const all = await listGenerations(world.db, { limit: 10 });
    expect(all.rows.map((row) => row.generation_id)).toEqual([
      'g-4',
      'g-3',
      'g-other',
      'g-2',
      'g-1',
    ]);
    expect(all.more).toBe(false);
    const byUserAndFormat = await listGenerations(world.db, {
      userId: 7,
      format: 'talking_head',
      status: 'completed',
      limit: 10,
    });
    expect(byUserAndFormat.rows.map((row) => row.generation_id)).toEqual(['g-1']);
    const window = await listGenerations(world.db, {
      createdFrom: new Date('2026-03-02T00:00:00Z'),
      createdBefore: new Date('2026-03-03T00:00:00Z'),
      limit: 10,
    });
    expect(window.rows.map((row) => row.generation_id)).toEqual(['g-other', 'g-2']);
  });

  it('walks the list with a keyset cursor, each row once, ties on created_at included', async () => {
    const seen: string[] = [];
    let after: { createdAt: string; generationId: string } | undefined;
    for (;;) {
      const page = await listGenerations(world.db, { limit: 2, after });
      seen.push(...page.rows.map((row) => row.generation_id));
      const last = page.rows.at(-1);
      if (!page.more || !last) break;
      after = { createdAt: last.created_at_text, generationId: last.generation_id };
    }
    expect(seen).toEqual(['g-4', 'g-3', 'g-other', 'g-2', 'g-1']);
  });
});
