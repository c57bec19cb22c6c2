import type { Insertable } from 'kysely';
import { PGliteSqlClient } from '../../adapters/event-store/pglite/pglite-sql-client.js';
import type { GenerationHistoryTable } from '../../database/schema.js';
import { openReadModels } from '../../database/open-read-models.js';
import type { ReadModelsDb } from '../../queries/read-models-db.js';

export interface QueryWorld {
  readonly db: ReadModelsDb;
  close(): Promise<void>;
}

/**
 * The read models, migrated, on an in-memory PGlite database: a query test writes the rows it
 * needs straight into the tables (as a projection would) and reads them back through the query.
 */
export async function openQueryWorld(): Promise<QueryWorld> {
  const client = await PGliteSqlClient.open();
  const readModels = await openReadModels({ kind: 'pglite', client });
  return {
    db: readModels.db,
    async close() {
      await readModels.close();
      await client.close();
    },
  };
}

/**
 * A `generation_history` row with every required column filled; `overrides` name what a case cares
 * about.
 */
export function generationRow(
  generationId: string,
  overrides: Partial<Insertable<GenerationHistoryTable>> = {},
): Insertable<GenerationHistoryTable> {
  const at = overrides.created_at ?? '2026-03-01T09:00:00.000Z';
  return {
    generation_id: generationId,
    user_id: '7',
    generation_type: 'talking_head',
    status: 'requested',
    character_id: 'anna',
    character_gender: 'female',
    character_age: '25-35',
    voice_id: 'en-f-1',
    text_prompt: `script of ${generationId}`,
    credits_spent: 1,
    image_key: 'catalog/anna.png',
    created_at: at,
    updated_at: at,
    ...overrides,
  };
}
