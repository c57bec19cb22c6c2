import { sql, type Kysely } from 'kysely';
import type { ReadModelDatabase } from '../database/schema.js';

/** Every row of the given tables in a stable order, for row-for-row comparisons. */
export async function snapshotTables(
  db: Kysely<ReadModelDatabase>,
  tables: readonly string[],
): Promise<Record<string, string[]>> {
  const snapshot: Record<string, string[]> = {};
  for (const table of tables) {
    const { rows } = await sql<{
      row: string;
    }>`SELECT to_jsonb(t)::text AS row FROM ${sql.table(table)} t ORDER BY 1`.execute(db);
    snapshot[table] = rows.map((r) => r.row);
  }
  return snapshot;
}
