import { Kysely, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGliteSqlClient } from '../../adapters/event-store/pglite/pglite-sql-client.js';
import { migrateReadModels, migrationTables, readModelMigrations } from './migrate.js';

describe('migration 006: storage-neutral column names', () => {
  let client: PGliteSqlClient;
  let db: Kysely<unknown>;

  beforeAll(async () => {
    client = await PGliteSqlClient.open();
    db = new Kysely<unknown>({ dialect: new PGliteDialect(client.db) });
  });

  afterAll(async () => {
    await client.close();
  });

  it('renames the r2_* keys of generation_history in place, keeping every row', async () => {
    const migrator = new Migrator({
      db,
      provider: { getMigrations: async () => ({ ...readModelMigrations }) },
      ...migrationTables,
    });
    const before = await migrator.migrateTo('004-stars-payments');
    expect(before.error).toBeUndefined();
    await sql`
      INSERT INTO generation_history (generation_id, user_id, generation_type, status, character_id, character_gender, character_age,
                                      voice_id, text_prompt, credits_spent, r2_image_key, r2_audio_key, r2_video_key, created_at, updated_at)
      VALUES ('g-1', 7, 'talking_head', 'completed', 'anna', 'female', '25-35', 'en-f-1', 'Hello', 1,
              'catalog/anna.png', 'generations/g-1/speech.wav', 'generations/g-1/final.mp4', now(), now())`.execute(
      db,
    );

    await migrateReadModels(db);

    const { rows } = await sql<Record<string, unknown>>`SELECT * FROM generation_history`.execute(
      db,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      generation_id: 'g-1',
      image_key: 'catalog/anna.png',
      audio_key: 'generations/g-1/speech.wav',
      video_key: 'generations/g-1/final.mp4',
    });
    expect(Object.keys(rows[0]!).filter((column) => column.startsWith('r2_'))).toEqual([]);
  });
});
