import type { ReadModelsDb } from './read-models-db.js';

export interface StoredCheckpoint {
  readonly name: string;
  /** The position as stored (`parsePosition` reads it). */
  readonly position: string;
}

/** Every projection's (and the pipeline intake's) stored checkpoint. */
export async function storedCheckpoints(db: ReadModelsDb): Promise<StoredCheckpoint[]> {
  return db.selectFrom('projection_checkpoints').select(['name', 'position']).execute();
}

/** Events a projection has applied since it was last rebuilt; 0 without a checkpoint. */
export async function eventsAppliedBy(db: ReadModelsDb, projection: string): Promise<number> {
  const row = await db
    .selectFrom('projection_checkpoints')
    .select('events_applied')
    .where('name', '=', projection)
    .executeTakeFirst();
  return Number(row?.events_applied ?? 0);
}
