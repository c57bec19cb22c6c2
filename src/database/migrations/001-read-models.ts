import { sql, type Kysely } from 'kysely';

/**
 * The read models: the original system's tables rebuilt as projections, plus helper tables the
 * projections own. Documented for analysts in docs/read-models.md, indexed for the queries there.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('projection_checkpoints')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('position', 'text', (c) => c.notNull().defaultTo('start'))
    .addColumn('global_position', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('events_applied', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('telegram_id', 'bigint', (c) => c.primaryKey())
    .addColumn('username', 'text')
    .addColumn('first_name', 'text')
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('registered_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_activity_at', 'timestamptz', (c) => c.notNull())
    .addColumn('generations_requested', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('idx_users_registered_at')
    .on('users')
    .column('registered_at')
    .execute();

  await db.schema
    .createTable('user_state')
    .addColumn('user_id', 'bigint', (c) => c.primaryKey())
    .addColumn('video_format', 'text')
    .addColumn('background_video_key', 'text')
    .addColumn('background_video_duration_sec', 'real')
    .addColumn('overlay_shape', 'text')
    .addColumn('character_gender', 'text')
    .addColumn('character_id', 'text')
    .addColumn('character_age', 'text')
    .addColumn('original_character_key', 'text')
    .addColumn('edited_character_key', 'text')
    .addColumn('edit_iteration_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('voice_id', 'text')
    .addColumn('character_text', 'text')
    .addColumn('awaited_input', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('credit_balances')
    .addColumn('user_id', 'bigint', (c) => c.primaryKey())
    .addColumn('balance', 'integer', (c) => c.notNull())
    .addColumn('granted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('spent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('refunded', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('revoked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('credit_ledger')
    .addColumn('event_id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'bigint', (c) => c.notNull())
    .addColumn('global_position', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('delta', 'integer', (c) => c.notNull())
    .addColumn('balance_after', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('generation_id', 'text')
    .addColumn('operation_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('idx_credit_logs_user_id')
    .on('credit_ledger')
    .columns(['user_id', 'global_position'])
    .execute();
  await db.schema
    .createIndex('idx_credit_ledger_created_at')
    .on('credit_ledger')
    .column('created_at')
    .execute();

  await db.schema
    .createTable('assets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'bigint', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('file_size', 'bigint')
    .addColumn('generation_id', 'text')
    .addColumn('meta_json', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('idx_assets_user_id').on('assets').column('user_id').execute();
  await db.schema
    .createIndex('idx_assets_generation_id')
    .on('assets')
    .column('generation_id')
    .execute();

  await db.schema
    .createTable('generation_history')
    .addColumn('generation_id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'bigint', (c) => c.notNull())
    .addColumn('generation_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('character_id', 'text', (c) => c.notNull())
    .addColumn('character_gender', 'text', (c) => c.notNull())
    .addColumn('character_age', 'text', (c) => c.notNull())
    .addColumn('voice_id', 'text', (c) => c.notNull())
    .addColumn('overlay_shape', 'text')
    .addColumn('text_prompt', 'text', (c) => c.notNull())
    .addColumn('credits_spent', 'integer', (c) => c.notNull())
    .addColumn('credits_refunded', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('r2_image_key', 'text', (c) => c.notNull())
    .addColumn('r2_audio_key', 'text')
    .addColumn('r2_video_key', 'text')
    .addColumn('audio_duration_sec', 'real')
    .addColumn('video_duration_sec', 'real')
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('providers', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('timings_ms', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('cost_usd', 'real')
    .addColumn('failure_stage', 'text')
    .addColumn('failure_reason', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('completed_at', 'timestamptz')
    .addColumn('delivered_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('idx_generation_history_user_id')
    .on('generation_history')
    .columns(['user_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('idx_generation_history_created_at')
    .on('generation_history')
    .column('created_at')
    .execute();
  await db.schema
    .createIndex('idx_generation_history_status')
    .on('generation_history')
    .column('status')
    .execute();

  await db.schema
    .createTable('user_activity')
    .addColumn('user_id', 'bigint', (c) => c.notNull())
    .addColumn('activity_date', 'date', (c) => c.notNull())
    .addColumn('events', 'integer', (c) => c.notNull())
    .addColumn('first_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_activity_pk', ['user_id', 'activity_date'])
    .execute();
  await db.schema
    .createIndex('idx_user_activity_date')
    .on('user_activity')
    .column('activity_date')
    .execute();

  await db.schema
    .createTable('daily_stats')
    .addColumn('day', 'date', (c) => c.primaryKey())
    .addColumn('new_users', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active_users', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('generations_requested', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('generations_completed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('generations_failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('talking_head_requested', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('talking_head_completed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('talking_head_failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('background_requested', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('background_completed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('background_failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('credits_granted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('credits_spent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('credits_refunded', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('credits_revoked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('stage_timings', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();

  // Helpers owned by the daily_stats projection, so it never reads another projection's tables.
  await db.schema
    .createTable('daily_stats_active_users')
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('user_id', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('daily_stats_active_users_pk', ['day', 'user_id'])
    .execute();
  await db.schema
    .createTable('daily_stats_generations')
    .addColumn('generation_id', 'text', (c) => c.primaryKey())
    .addColumn('format', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('daily_stats_stage_samples')
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('generation_id', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('elapsed_ms', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('daily_stats_stage_samples_pk', ['generation_id', 'stage'])
    .execute();
  await db.schema
    .createIndex('idx_daily_stats_stage_samples_day')
    .on('daily_stats_stage_samples')
    .columns(['day', 'stage'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'daily_stats_stage_samples',
    'daily_stats_generations',
    'daily_stats_active_users',
    'daily_stats',
    'user_activity',
    'generation_history',
    'assets',
    'credit_ledger',
    'credit_balances',
    'user_state',
    'users',
    'projection_checkpoints',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
