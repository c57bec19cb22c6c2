import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openQueryWorld, type QueryWorld } from '../testing/queries/query-world.js';
import { backgroundKeysInDrafts } from './user-state-queries.js';

describe('user state queries', () => {
  let world: QueryWorld;
  beforeAll(async () => {
    world = await openQueryWorld();
  });
  afterAll(() => world?.close());

  it('is empty when no draft points at an upload', async () => {
    expect(await backgroundKeysInDrafts(world.db)).toEqual(new Set());
  });

  it('collects the background clips drafts point at, once each, skipping drafts without one', async () => {
    const at = '2026-03-01T09:00:00Z';
    await world.db
      .insertInto('user_state')
      .values([
        { user_id: '1', background_video_key: 'uploads/1/clip.mp4', updated_at: at },
        { user_id: '2', background_video_key: null, updated_at: at },
        { user_id: '3', background_video_key: 'uploads/3/clip.mp4', updated_at: at },
      ])
      .execute();
    expect(await backgroundKeysInDrafts(world.db)).toEqual(
      new Set(['uploads/1/clip.mp4', 'uploads/3/clip.mp4']),
    );
  });
});
