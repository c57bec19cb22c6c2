import type { ColumnType, Generated, RawBuilder } from 'kysely';

// bigint columns come back from node-postgres as strings; they are written as numbers or strings.
type BigIntColumn = ColumnType<string, string | number | bigint, string | number | bigint>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DateColumn = ColumnType<Date | string, string, string>;
type Json<T> = ColumnType<T, string | undefined, string | RawBuilder<unknown>>;

export interface ProjectionCheckpointsTable {
  name: string;
  position: Generated<string>;
  global_position: ColumnType<
    string,
    string | number | bigint | undefined,
    string | number | bigint
  >;
  events_applied: ColumnType<
    string,
    string | number | bigint | undefined,
    string | number | bigint
  >;
  updated_at: Generated<Timestamp>;
}

export interface UsersTable {
  telegram_id: BigIntColumn;
  username: string | null;
  first_name: string | null;
  language: string;
  registered_at: Timestamp;
  last_activity_at: Timestamp;
  generations_requested: Generated<number>;
}

export interface UserStateTable {
  user_id: BigIntColumn;
  video_format: string | null;
  background_video_key: string | null;
  background_video_duration_sec: number | null;
  overlay_shape: string | null;
  character_gender: string | null;
  character_id: string | null;
  character_age: string | null;
  original_character_key: string | null;
  edited_character_key: string | null;
  edit_iteration_count: Generated<number>;
  voice_id: string | null;
  character_text: string | null;
  awaited_input: string | null;
  updated_at: Timestamp;
}

export interface CreditBalancesTable {
  user_id: BigIntColumn;
  balance: number;
  granted: Generated<number>;
  spent: Generated<number>;
  refunded: Generated<number>;
  revoked: Generated<number>;
  updated_at: Timestamp;
}

export interface CreditLedgerTable {
  event_id: string;
  user_id: BigIntColumn;
  global_position: BigIntColumn;
  kind: 'grant' | 'revoke' | 'spend' | 'refund';
  delta: number;
  balance_after: number;
  reason: string;
  actor_kind: string;
  actor_id: string;
  generation_id: string | null;
  operation_id: string;
  created_at: Timestamp;
}

export interface AssetsTable {
  id: string;
  user_id: BigIntColumn;
  type: string;
  storage_key: string;
  file_size: BigIntColumn | null;
  generation_id: string | null;
  meta_json: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

export interface GenerationHistoryTable {
  generation_id: string;
  user_id: BigIntColumn;
  generation_type: string;
  status: string;
  character_id: string;
  character_gender: string;
  character_age: string;
  voice_id: string;
  overlay_shape: string | null;
  text_prompt: string;
  credits_spent: number;
  credits_refunded: Generated<number>;
  image_key: string;
  audio_key: string | null;
  video_key: string | null;
  audio_duration_sec: number | null;
  video_duration_sec: number | null;
  width: number | null;
  height: number | null;
  providers: Json<Record<string, string>>;
  timings_ms: Json<Record<string, number>>;
  cost_usd: number | null;
  failure_stage: string | null;
  failure_reason: string | null;
  created_at: Timestamp;
  completed_at: Timestamp | null;
  delivered_at: Timestamp | null;
  /**
   * `video`, `link` (the upload's answer was lost) or `abandoned` (kept, not refunded); null until
   * then.
   */
  delivery_status: string | null;
  delivery_note: string | null;
  telegram_file_id: string | null;
  send_attempts: ColumnType<number, number | undefined, number | RawBuilder<number>>;
  updated_at: Timestamp;
}

export interface UserActivityTable {
  user_id: BigIntColumn;
  activity_date: DateColumn;
  events: number;
  first_at: Timestamp;
  last_at: Timestamp;
}

export interface DailyStatsTable {
  day: DateColumn;
  new_users: Generated<number>;
  active_users: Generated<number>;
  generations_requested: Generated<number>;
  generations_completed: Generated<number>;
  generations_failed: Generated<number>;
  talking_head_requested: Generated<number>;
  talking_head_completed: Generated<number>;
  talking_head_failed: Generated<number>;
  background_requested: Generated<number>;
  background_completed: Generated<number>;
  background_failed: Generated<number>;
  credits_granted: Generated<number>;
  credits_spent: Generated<number>;
  credits_refunded: Generated<number>;
  credits_revoked: Generated<number>;
  /** Stars payments received that day, their Stars and the credits they bought (migration 004). */
  stars_payments: Generated<number>;
  stars_revenue: Generated<number>;
  credits_sold: Generated<number>;
  /** Refunds made that day (of payments of any day) and their Stars. */
  stars_refunds: Generated<number>;
  stars_refunded: Generated<number>;
  stage_timings: ColumnType<
    Record<string, { p50: number; p95: number; count: number }>,
    string | undefined,
    string
  >;
}

export interface DailyStatsActiveUsersTable {
  day: DateColumn;
  user_id: BigIntColumn;
}

export interface DailyStatsGenerationsTable {
  generation_id: string;
  format: string;
}

export interface DailyStatsStageSamplesTable {
  day: DateColumn;
  generation_id: string;
  stage: string;
  elapsed_ms: number;
}

/** One Telegram Stars payment and its refund (migration 004). */
export interface StarsPaymentsTable {
  charge_id: string;
  user_id: BigIntColumn;
  order_id: string;
  pack_id: string;
  credits: number;
  stars: number;
  paid_at: Timestamp;
  global_position: BigIntColumn;
  refunded_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** `admin` or `telegram_support`. */
  refunded_by: ColumnType<string | null, string | null | undefined, string | null>;
  refund_admin_id: ColumnType<
    string | null,
    string | number | null | undefined,
    string | number | null
  >;
  credits_taken_back: ColumnType<number | null, number | null | undefined, number | null>;
}

export type PipelineJobStatus = 'queued' | 'running' | 'delivered' | 'refunded' | 'abandoned';

/** The generation pipeline's work queue (migration 002); not a projection. */
export interface PipelineJobsTable {
  generation_id: string;
  user_id: BigIntColumn;
  status: ColumnType<PipelineJobStatus, PipelineJobStatus | undefined, PipelineJobStatus>;
  attempts: Generated<number>;
  claimed_by: string | null;
  lease_until: Timestamp | null;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  last_error: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

/** The read-model schema as kysely sees it; the public analyst interface is docs/read-models.md. */
export interface ReadModelDatabase {
  projection_checkpoints: ProjectionCheckpointsTable;
  users: UsersTable;
  user_state: UserStateTable;
  credit_balances: CreditBalancesTable;
  credit_ledger: CreditLedgerTable;
  assets: AssetsTable;
  generation_history: GenerationHistoryTable;
  user_activity: UserActivityTable;
  daily_stats: DailyStatsTable;
  daily_stats_active_users: DailyStatsActiveUsersTable;
  daily_stats_generations: DailyStatsGenerationsTable;
  daily_stats_stage_samples: DailyStatsStageSamplesTable;
  stars_payments: StarsPaymentsTable;
  pipeline_jobs: PipelineJobsTable;
}
