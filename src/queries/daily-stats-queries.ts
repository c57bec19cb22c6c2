import type { ReadModelRow, ReadModelsDb } from './read-models-db.js';

/**
 * The `daily_stats` rows of the UTC days from `from` to `to` (inclusive, `YYYY-MM-DD`), in day
 * order; days without activity have none.
 */
export async function dailyStatsBetween(
  db: ReadModelsDb,
  from: string,
  to: string,
): Promise<ReadModelRow<'daily_stats'>[]> {
  return db
    .selectFrom('daily_stats')
    .selectAll()
    .where('day', '>=', from)
    .where('day', '<=', to)
    .orderBy('day')
    .execute();
}

/** The `daily_stats` rows of the given UTC days, in no particular order. */
export async function dailyStatsOn(
  db: ReadModelsDb,
  days: readonly string[],
): Promise<ReadModelRow<'daily_stats'>[]> {
  if (days.length === 0) return [];
  return db
    .selectFrom('daily_stats')
    .selectAll()
    .where('day', 'in', [...days])
    .execute();
}
