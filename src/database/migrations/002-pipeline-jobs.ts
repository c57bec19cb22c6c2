import { sql, type Kysely } from 'kysely';

/**
 * The generation pipeline's work queue: one row per generation, written at intake. Workers claim
 * due rows with `FOR UPDATE SKIP LOCKED` and hold a lease they renew while working, so two service
 * instances never run the same generation and a crashed worker's job is taken over once its lease
 * ends. The generation stream stays the truth about progress; this table only says who works on
 * what, when to retry, and that the user has been told the outcome.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pipeline_jobs')
    .addColumn('generation_id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('queued')
        .check(sql`status IN ('queued', 'running', 'delivered', 'refunded', 'abandoned')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claimed_by', 'text')
    .addColumn('lease_until', 'timestamptz')
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Claims scan only unfinished rows; finished ones stay for operators and history.
  await sql`CREATE INDEX idx_pipeline_jobs_due ON pipeline_jobs (next_attempt_at) WHERE status IN ('queued', 'running')`.execute(
    db,
  );
  await db.schema
    .createIndex('idx_pipeline_jobs_user_id')
    .on('pipeline_jobs')
    .column('user_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('pipeline_jobs').ifExists().execute();
}
