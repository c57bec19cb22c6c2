import type { ReadModelsDb } from './read-models-db.js';

/** Storage keys of the background clips users' current drafts still point at (`user_state`). */
export async function backgroundKeysInDrafts(db: ReadModelsDb): Promise<Set<string>> {
  const rows = await db
    .selectFrom('user_state')
    .select('background_video_key')
    .where('background_video_key', 'is not', null)
    .execute();
  return new Set(
    rows.flatMap((row) => (row.background_video_key ? [row.background_video_key] : [])),
  );
}
