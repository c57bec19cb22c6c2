import { sql } from 'kysely';
import type { ReadModelRow, ReadModelsDb } from './read-models-db.js';

export interface GenerationTotals {
  readonly total: number;
  readonly completed: number;
  /** Failed or rejected (the script's audio too long). */
  readonly failed: number;
  /** Credits spent less credits refunded. */
  readonly creditsSpent: number;
}

/** One user's generation counts and net credits spent, over all their `generation_history`. */
export async function generationTotalsOf(
  db: ReadModelsDb,
  telegramId: number,
): Promise<GenerationTotals> {
  const stats = await db
    .selectFrom('generation_history')
    .select([
      sql<string>`count(*)`.as('total'),
      sql<string>`count(*) filter (where status = 'completed')`.as('completed'),
      sql<string>`count(*) filter (where status in ('failed', 'audio_rejected'))`.as('failed'),
      sql<string>`coalesce(sum(credits_spent - credits_refunded), 0)`.as('spent'),
    ])
    .where('user_id', '=', String(telegramId))
    .executeTakeFirst();
  return {
    total: Number(stats?.total ?? 0),
    completed: Number(stats?.completed ?? 0),
    failed: Number(stats?.failed ?? 0),
    creditsSpent: Number(stats?.spent ?? 0),
  };
}

export type GenerationHistoryItem = Pick<
  ReadModelRow<'generation_history'>,
  | 'generation_id'
  | 'generation_type'
  | 'status'
  | 'text_prompt'
  | 'credits_refunded'
  | 'created_at'
  | 'video_key'
  | 'delivery_status'
>;

/** One page of a user's generations, newest first. */
export async function generationHistoryPageOf(
  db: ReadModelsDb,
  telegramId: number,
  page: { readonly offset: number; readonly limit: number },
): Promise<GenerationHistoryItem[]> {
  return db
    .selectFrom('generation_history')
    .select([
      'generation_id',
      'generation_type',
      'status',
      'text_prompt',
      'credits_refunded',
      'created_at',
      'video_key',
      'delivery_status',
    ])
    .where('user_id', '=', String(telegramId))
    .orderBy('created_at', 'desc')
    .orderBy('generation_id', 'desc')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
}

export interface GenerationDownload {
  readonly status: string;
  readonly video_key: string | null;
}

/**
 * The status and final video of one generation, only if it belongs to `telegramId`: a forged
 * request naming someone else's generation finds nothing.
 */
export async function generationDownloadOf(
  db: ReadModelsDb,
  telegramId: number,
  generationId: string,
): Promise<GenerationDownload | undefined> {
  return db
    .selectFrom('generation_history')
    .select(['status', 'video_key'])
    .where('generation_id', '=', generationId)
    .where('user_id', '=', String(telegramId))
    .executeTakeFirst();
}

export interface GenerationListFilter {
  readonly userId?: number | undefined;
  readonly format?: string | undefined;
  readonly status?: string | undefined;
  /** `created_at` at or after. */
  readonly createdFrom?: Date | undefined;
  /** `created_at` before. */
  readonly createdBefore?: Date | undefined;
  /** Keyset: rows sorting after this one (`created_at` as PostgreSQL prints it, then the id). */
  readonly after?: { readonly createdAt: string; readonly generationId: string } | undefined;
  readonly limit: number;
}

/** A row with its `created_at` exactly as stored (microseconds kept), for a keyset cursor. */
export type ListedGeneration = ReadModelRow<'generation_history'> & {
  readonly created_at_text: string;
};

export interface GenerationList {
  readonly rows: readonly ListedGeneration[];
  /** Whether more rows follow the last one. */
  readonly more: boolean;
}

/** Generations of every user (or one), newest first, then by id descending, filtered. */
export async function listGenerations(
  db: ReadModelsDb,
  filter: GenerationListFilter,
): Promise<GenerationList> {
  let select = db
    .selectFrom('generation_history')
    .selectAll()
    .select(sql<string>`created_at::text`.as('created_at_text'));
  if (filter.userId !== undefined) select = select.where('user_id', '=', String(filter.userId));
  if (filter.format) select = select.where('generation_type', '=', filter.format);
  if (filter.status) select = select.where('status', '=', filter.status);
  if (filter.createdFrom) select = select.where('created_at', '>=', filter.createdFrom);
  if (filter.createdBefore) select = select.where('created_at', '<', filter.createdBefore);
  if (filter.after)
    select = select.where(
      sql<boolean>`(created_at, generation_id) < (${filter.after.createdAt}::timestamptz, ${filter.after.generationId})`,
    );
  const rows = await select
    .orderBy('created_at', 'desc')
    .orderBy('generation_id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  return { rows: rows.slice(0, filter.limit), more: rows.length > filter.limit };
}
