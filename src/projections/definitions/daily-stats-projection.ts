import { sql, type Transaction } from 'kysely';
import type { Projection } from '../projection.js';
import { generationIdOf, userIdOf, utcDay } from '../projected-event.js';
import type { ReadModelDatabase } from '../../database/schema.js';

type Counter =
  | 'new_users'
  | 'active_users'
  | 'generations_requested'
  | 'generations_completed'
  | 'generations_failed'
  | 'talking_head_requested'
  | 'talking_head_completed'
  | 'talking_head_failed'
  | 'background_requested'
  | 'background_completed'
  | 'background_failed'
  | 'credits_granted'
  | 'credits_spent'
  | 'credits_refunded'
  | 'credits_revoked'
  | 'stars_payments'
  | 'stars_revenue'
  | 'credits_sold'
  | 'stars_refunds'
  | 'stars_refunded';

/**
 * `daily_stats`: one row per UTC day with what the daily report and the dashboard show. Keeps its
 * own helper tables (active users, generation formats, stage samples) so it depends on no other
 * projection's progress.
 */
export const dailyStatsProjection: Projection = {
  name: 'daily_stats',
  tables: [
    'daily_stats',
    'daily_stats_active_users',
    'daily_stats_generations',
    'daily_stats_stage_samples',
  ],
  eventTypes: [
    'UserRegistered',
    'LanguageChanged',
    'InputAwaited',
    'FormatSelected',
    'BackgroundVideoUploaded',
    'OverlayShapeSelected',
    'CharacterGenderChosen',
    'CharacterSelected',
    'CharacterEditRequested',
    'CharacterEditAccepted',
    'CharacterEditReverted',
    'VoiceSelected',
    'ScriptWritten',
    'TopUpRequested',
    'FeedbackSubmitted',
    'GenerationRequested',
    'GenerationCompleted',
    'GenerationFailed',
    'AudioRejected',
    'CreditsGranted',
    'CreditsSpent',
    'CreditsRefunded',
    'CreditsRevoked',
    'StarsPaymentReceived',
    'StarsPaymentRefunded',
  ],
  async apply(trx, events) {
    const timingDays = new Set<string>();
    // Counters are sums, so a batch adds them up in memory and writes one row per day; active users
    // are one multi-row insert. A burst of wizard clicks then costs two statements, not two each.
    const totals = new Map<string, Partial<Record<Counter, number>>>();
    const addTo = (day: string, counters: Partial<Record<Counter, number>>) => {
      const total = totals.get(day) ?? {};
      for (const [column, n] of Object.entries(counters) as [Counter, number][])
        total[column] = (total[column] ?? 0) + n;
      totals.set(day, total);
    };
    const active = new Map<string, { day: string; user_id: number }>();
    for (const { event, recorded, at, actor } of events) {
      const day = utcDay(at);
      const bump = async (counters: Partial<Record<Counter, number>>) => addTo(day, counters);
      const userId = userIdOf(recorded);
      if (userId !== undefined && actor.kind === 'user')
        active.set(`${day}|${userId}`, { day, user_id: userId });
      switch (event.type) {
        case 'UserRegistered':
          await bump({ new_users: 1 });
          break;
        case 'GenerationRequested':
          await trx
            .insertInto('daily_stats_generations')
            .values({ generation_id: event.data.generationId, format: event.data.format })
            .onConflict((conflict) => conflict.column('generation_id').doNothing())
            .execute();
          await bump({ generations_requested: 1, [`${event.data.format}_requested`]: 1 });
          break;
        case 'GenerationCompleted': {
          const generationId = generationIdOf(recorded);
          const format = generationId ? await formatOf(trx, generationId) : undefined;
          await bump({
            generations_completed: 1,
            ...(format ? { [`${format}_completed`]: 1 } : {}),
          });
          if (generationId) {
            for (const [stage, elapsed] of Object.entries(event.data.timings)) {
              await trx
                .insertInto('daily_stats_stage_samples')
                .values({
                  day,
                  generation_id: generationId,
                  stage,
                  elapsed_ms: Math.round(elapsed),
                })
                .onConflict((conflict) => conflict.columns(['generation_id', 'stage']).doNothing())
                .execute();
            }
            timingDays.add(day);
          }
          break;
        }
        case 'GenerationFailed':
        case 'AudioRejected': {
          const generationId = generationIdOf(recorded);
          const format = generationId ? await formatOf(trx, generationId) : undefined;
          await bump({ generations_failed: 1, ...(format ? { [`${format}_failed`]: 1 } : {}) });
          break;
        }
        case 'CreditsGranted':
          await bump({ credits_granted: event.data.amount });
          break;
        case 'CreditsSpent':
          await bump({ credits_spent: event.data.amount });
          break;
        case 'CreditsRefunded':
          await bump({ credits_refunded: event.data.amount });
          break;
        case 'CreditsRevoked':
          await bump({ credits_revoked: event.data.amount });
          break;
        // Revenue counts on the day it was paid, a refund on the day it was made.
        case 'StarsPaymentReceived':
          await bump({
            stars_payments: 1,
            stars_revenue: event.data.stars,
            credits_sold: event.data.credits,
          });
          break;
        case 'StarsPaymentRefunded':
          await bump({ stars_refunds: 1, stars_refunded: event.data.stars });
          break;
        default:
          break;
      }
    }
    if (active.size > 0) {
      const inserted = await trx
        .insertInto('daily_stats_active_users')
        .values([...active.values()])
        .onConflict((conflict) => conflict.columns(['day', 'user_id']).doNothing())
        .returning(sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'))
        .execute();
      for (const row of inserted) addTo(row.day, { active_users: 1 });
    }
    for (const [day, counters] of totals) await bumpDay(trx, day, counters);
    // Percentiles are recomputed once per touched day and batch, not per event.
    for (const day of timingDays) await recomputeStageTimings(trx, day);
  },
};

async function bumpDay(
  trx: Transaction<ReadModelDatabase>,
  day: string,
  counters: Partial<Record<Counter, number>>,
): Promise<void> {
  const entries = Object.entries(counters) as [Counter, number][];
  if (entries.length === 0) return;
  const updates = Object.fromEntries(
    entries.map(([column, n]) => [column, sql`daily_stats.${sql.ref(column)} + ${n}`]),
  );
  await trx
    .insertInto('daily_stats')
    .values({ day, ...Object.fromEntries(entries) })
    .onConflict((conflict) => conflict.column('day').doUpdateSet(updates))
    .execute();
}

async function formatOf(
  trx: Transaction<ReadModelDatabase>,
  generationId: string,
): Promise<string | undefined> {
  const row = await trx
    .selectFrom('daily_stats_generations')
    .select('format')
    .where('generation_id', '=', generationId)
    .executeTakeFirst();
  return row?.format;
}

async function recomputeStageTimings(
  trx: Transaction<ReadModelDatabase>,
  day: string,
): Promise<void> {
  await sql`
    UPDATE daily_stats SET stage_timings = coalesce((
      SELECT jsonb_object_agg(stage, jsonb_build_object('p50', p50, 'p95', p95, 'count', n))
        FROM (
          SELECT stage,
                 round(percentile_cont(0.5) WITHIN GROUP (ORDER BY elapsed_ms))::int AS p50,
                 round(percentile_cont(0.95) WITHIN GROUP (ORDER BY elapsed_ms))::int AS p95,
                 count(*)::int AS n
            FROM daily_stats_stage_samples WHERE day = ${day}::date GROUP BY stage
        ) s
    ), '{}'::jsonb)
    WHERE day = ${day}::date`.execute(trx);
}
