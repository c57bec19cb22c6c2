import type { Kysely } from 'kysely';

/**
 * Telegram Stars: one row per payment (with its refund, if any) for the admin's user page and the
 * API, and the day's Stars revenue, refunds and credits sold in `daily_stats`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('stars_payments')
    .addColumn('charge_id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'bigint', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('pack_id', 'text', (c) => c.notNull())
    .addColumn('credits', 'integer', (c) => c.notNull())
    .addColumn('stars', 'integer', (c) => c.notNull())
    .addColumn('paid_at', 'timestamptz', (c) => c.notNull())
    .addColumn('global_position', 'bigint', (c) => c.notNull())
    .addColumn('refunded_at', 'timestamptz')
    .addColumn('refunded_by', 'text')
    .addColumn('refund_admin_id', 'bigint')
    .addColumn('credits_taken_back', 'integer')
    .execute();
  await db.schema
    .createIndex('stars_payments_user_idx')
    .on('stars_payments')
    .columns(['user_id', 'paid_at'])
    .execute();
  await db.schema
    .createIndex('stars_payments_paid_at_idx')
    .on('stars_payments')
    .column('paid_at')
    .execute();

  await db.schema
    .alterTable('daily_stats')
    .addColumn('stars_payments', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('stars_revenue', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('credits_sold', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('stars_refunds', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('stars_refunded', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
