import { sql } from 'kysely';
import { z } from 'zod';
import type { ReadModelsDb } from './read-models-db.js';

export const reportFormats = ['talking_head', 'background'] as const;
export type ReportFormat = (typeof reportFormats)[number];

export interface FormatFigures {
  /** Generations ordered during the window… */
  readonly requested: number;
  /** …and what became of them by the time the figures were read. */
  readonly completed: number;
  readonly failed: number;
  readonly inProgress: number;
}

export interface StageTiming {
  readonly p50: number;
  readonly p95: number;
  readonly count: number;
}

export interface WindowFigures {
  readonly newUsers: number;
  readonly activeUsers: number;
  readonly generations: Readonly<Record<ReportFormat, FormatFigures>>;
  readonly credits: {
    readonly granted: number;
    readonly spent: number;
    readonly refunded: number;
    readonly revoked: number;
  };
  /**
   * Telegram Stars payments made during the window (their Stars, the credits bought), and refunds
   * made during it.
   */
  readonly stars: {
    readonly payments: number;
    readonly revenue: number;
    readonly creditsSold: number;
    readonly refunds: number;
    readonly refunded: number;
  };
  /**
   * Per stage, over the generations completed during the window, in milliseconds: the timings each
   * `GenerationCompleted` recorded (the samples behind `daily_stats.stage_timings`).
   */
  readonly stageTimings: Readonly<Record<string, StageTiming>>;
  readonly topFailures: readonly {
    readonly stage: string;
    readonly reason: string;
    readonly count: number;
  }[];
}

export interface FiguresWindow {
  /** Inclusive. */
  readonly from: Date;
  /** Exclusive. */
  readonly to: Date;
  /** The UTC days (`YYYY-MM-DD`, inclusive) of `user_activity` rows that may overlap [from, to). */
  readonly activityDays: { readonly first: string; readonly last: string };
}

const count = z.coerce.number().int().nonnegative();

/**
 * The figures of the window [from, to) read from the read models. Generations are the ones
 * *ordered* in the window with their current outcome (a cohort), so "requested = completed +
 * failed + in progress" always holds.
 *
 * Active users come from `user_activity` (one row per user and UTC day with first/last activity):
 * "first_at or last_at inside the window" is exact for every window that is not strictly inside
 * one UTC day (a user active only in its middle is missed).
 */
export async function figuresBetween(
  db: ReadModelsDb,
  window: FiguresWindow,
): Promise<WindowFigures> {
  const { from, to, activityDays } = window;
  const [newUsers, activeUsers, generations, credits, stages, failures, stars] = await Promise.all([
    sql<{
      n: string;
    }>`SELECT count(*) AS n FROM users WHERE registered_at >= ${from} AND registered_at < ${to}`.execute(
      db,
    ),
    sql<{ n: string }>`
      SELECT count(DISTINCT user_id) AS n FROM user_activity
       WHERE activity_date BETWEEN ${activityDays.first}::date AND ${activityDays.last}::date
         AND ((first_at >= ${from} AND first_at < ${to}) OR (last_at >= ${from} AND last_at < ${to}))`.execute(
      db,
    ),
    sql<{ format: string; requested: string; completed: string; failed: string }>`
      SELECT generation_type AS format,
             count(*) AS requested,
             count(*) FILTER (WHERE status = 'completed') AS completed,
             count(*) FILTER (WHERE status IN ('failed', 'audio_rejected')) AS failed
        FROM generation_history
       WHERE created_at >= ${from} AND created_at < ${to}
       GROUP BY generation_type`.execute(db),
    sql<{ kind: string; total: string }>`
      SELECT kind, coalesce(sum(abs(delta)), 0) AS total FROM credit_ledger
       WHERE created_at >= ${from} AND created_at < ${to}
       GROUP BY kind`.execute(db),
    sql<{ stage: string; p50: string; p95: string; n: string }>`
      SELECT s.stage,
             round(percentile_cont(0.5) WITHIN GROUP (ORDER BY s.elapsed_ms)) AS p50,
             round(percentile_cont(0.95) WITHIN GROUP (ORDER BY s.elapsed_ms)) AS p95,
             count(*) AS n
        FROM daily_stats_stage_samples s
        JOIN generation_history g ON g.generation_id = s.generation_id
       WHERE g.completed_at >= ${from} AND g.completed_at < ${to}
       GROUP BY s.stage ORDER BY s.stage`.execute(db),
    sql<{ stage: string; reason: string; n: string }>`
      SELECT coalesce(failure_stage, 'unknown') AS stage, coalesce(failure_reason, '') AS reason, count(*) AS n
        FROM generation_history
       WHERE created_at >= ${from} AND created_at < ${to} AND status IN ('failed', 'audio_rejected')
       GROUP BY 1, 2 ORDER BY n DESC, 1, 2 LIMIT 5`.execute(db),
    sql<{
      payments: string;
      revenue: string;
      credits_sold: string;
      refunds: string;
      refunded: string;
    }>`
      SELECT count(*) FILTER (WHERE paid_at >= ${from} AND paid_at < ${to}) AS payments,
             coalesce(sum(stars) FILTER (WHERE paid_at >= ${from} AND paid_at < ${to}), 0) AS revenue,
             coalesce(sum(credits) FILTER (WHERE paid_at >= ${from} AND paid_at < ${to}), 0) AS credits_sold,
             count(*) FILTER (WHERE refunded_at >= ${from} AND refunded_at < ${to}) AS refunds,
             coalesce(sum(stars) FILTER (WHERE refunded_at >= ${from} AND refunded_at < ${to}), 0) AS refunded
        FROM stars_payments
       WHERE (paid_at >= ${from} AND paid_at < ${to}) OR (refunded_at >= ${from} AND refunded_at < ${to})`.execute(
      db,
    ),
  ]);
  const starsRow = stars.rows[0];

  const byFormat = Object.fromEntries(
    reportFormats.map((format) => {
      const row = generations.rows.find((r) => r.format === format);
      const requested = count.parse(row?.requested ?? 0);
      const completed = count.parse(row?.completed ?? 0);
      const failed = count.parse(row?.failed ?? 0);
      return [format, { requested, completed, failed, inProgress: requested - completed - failed }];
    }),
  ) as Record<ReportFormat, FormatFigures>;
  const credit = (kind: string) =>
    count.parse(credits.rows.find((r) => r.kind === kind)?.total ?? 0);

  return {
    newUsers: count.parse(newUsers.rows[0]?.n ?? 0),
    activeUsers: count.parse(activeUsers.rows[0]?.n ?? 0),
    generations: byFormat,
    credits: {
      granted: credit('grant'),
      spent: credit('spend'),
      refunded: credit('refund'),
      revoked: credit('revoke'),
    },
    stars: {
      payments: count.parse(starsRow?.payments ?? 0),
      revenue: count.parse(starsRow?.revenue ?? 0),
      creditsSold: count.parse(starsRow?.credits_sold ?? 0),
      refunds: count.parse(starsRow?.refunds ?? 0),
      refunded: count.parse(starsRow?.refunded ?? 0),
    },
    stageTimings: Object.fromEntries(
      stages.rows.map((r) => [
        r.stage,
        { p50: count.parse(r.p50), p95: count.parse(r.p95), count: count.parse(r.n) },
      ]),
    ),
    topFailures: failures.rows.map((r) => ({
      stage: r.stage,
      reason: r.reason,
      count: count.parse(r.n),
    })),
  };
}
