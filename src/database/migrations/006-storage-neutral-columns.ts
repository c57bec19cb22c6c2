import type { Kysely } from 'kysely';

/** Old name → new name; the keys are storage keys whatever holds the files (local disk, R2, S3). */
const renamed = [
  ['r2_image_key', 'image_key'],
  ['r2_audio_key', 'audio_key'],
  ['r2_video_key', 'video_key'],
] as const;

/**
 * The file keys of `generation_history` lose the storage vendor in their names. Renamed in place,
 * so the rows, and a running projection's checkpoint with them, stay as they are: no rebuild.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [from, to] of renamed)
    await db.schema.alterTable('generation_history').renameColumn(from, to).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [from, to] of renamed)
    await db.schema.alterTable('generation_history').renameColumn(to, from).execute();
}
