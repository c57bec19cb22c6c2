import type { ReadModelRow, ReadModelsDb } from './read-models-db.js';

/** A user's `credit_balances` row; undefined before their first credit event. */
export async function findCreditBalance(
  db: ReadModelsDb,
  telegramId: number,
): Promise<ReadModelRow<'credit_balances'> | undefined> {
  return db
    .selectFrom('credit_balances')
    .selectAll()
    .where('user_id', '=', String(telegramId))
    .executeTakeFirst();
}
