import type { ReadModelRow, ReadModelsDb } from './read-models-db.js';

/** A registered user's row of the `users` read model; undefined when no such user registered. */
export async function findUser(
  db: ReadModelsDb,
  telegramId: number,
): Promise<ReadModelRow<'users'> | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('telegram_id', '=', String(telegramId))
    .executeTakeFirst();
}
