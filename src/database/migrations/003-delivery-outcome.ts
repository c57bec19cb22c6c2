import type { Kysely } from 'kysely';

/**
 * How a finished video reached the user: uploaded, replaced by a download link (the upload's answer
 * was lost, so it was not uploaded again), or abandoned (Telegram refused it for good or asked to
 * wait past the ceiling: the video stays completed and downloadable, never refunded).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('generation_history')
    .addColumn('delivery_status', 'text')
    .addColumn('delivery_note', 'text')
    .addColumn('telegram_file_id', 'text')
    .addColumn('send_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
