import type { ReadModelRow, ReadModelsDb } from './read-models-db.js';

/** A user's Telegram Stars payments (with their refunds), newest first. */
export async function starsPaymentsOf(
  db: ReadModelsDb,
  telegramId: number,
  limit: number,
): Promise<ReadModelRow<'stars_payments'>[]> {
  return db
    .selectFrom('stars_payments')
    .selectAll()
    .where('user_id', '=', String(telegramId))
    .orderBy('global_position', 'desc')
    .limit(limit)
    .execute();
}
