import type { ReadModelRow, ReadModelsDb } from './read-models-db.js';

export interface CreditOperation {
  readonly kind: ReadModelRow<'credit_ledger'>['kind'];
  readonly delta: number;
  readonly reason: string;
  readonly created_at: Date;
}

/** A user's latest credit operations, newest first (event-log order). */
export async function recentCreditOperations(
  db: ReadModelsDb,
  telegramId: number,
  limit: number,
): Promise<CreditOperation[]> {
  return db
    .selectFrom('credit_ledger')
    .select(['kind', 'delta', 'reason', 'created_at'])
    .where('user_id', '=', String(telegramId))
    .orderBy('global_position', 'desc')
    .limit(limit)
    .execute();
}

export interface CreditLedgerPage {
  readonly entries: readonly ReadModelRow<'credit_ledger'>[];
  /** Global position to pass as `after` for the next page; null on the last page. */
  readonly nextAfter: string | null;
}

/**
 * A user's ledger in event-log order, `limit` rows after the global position `after` (exclusive).
 */
export async function creditLedgerPage(
  db: ReadModelsDb,
  telegramId: number,
  page: { readonly after?: string | undefined; readonly limit: number },
): Promise<CreditLedgerPage> {
  let select = db.selectFrom('credit_ledger').selectAll().where('user_id', '=', String(telegramId));
  if (page.after) select = select.where('global_position', '>', page.after);
  const rows = await select
    .orderBy('global_position')
    .limit(page.limit + 1)
    .execute();
  const entries = rows.slice(0, page.limit);
  return {
    entries,
    nextAfter: rows.length > page.limit ? String(entries.at(-1)!.global_position) : null,
  };
}
