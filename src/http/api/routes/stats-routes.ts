import { dailyStatsBetween } from '../../../queries/daily-stats-queries.js';
import type { ApiDeps } from '../api-deps.js';
import { defineRoute } from '../api-route.js';
import { daysBetween, dayText } from '../dates.js';
import { isoDay, withAtPosition } from '../input.js';

const MAX_DAYS = 366;

const dailyQuery = withAtPosition({ from: isoDay, to: isoDay })
  .refine((q) => q.from <= q.to, { message: '`from` must not be after `to`', path: ['from'] })
  .refine((q) => daysBetween(q.from, q.to).length <= MAX_DAYS, {
    message: `at most ${MAX_DAYS} days per request`,
    path: ['to'],
  });

type StageTimings = Record<string, { p50: number; p95: number; count: number }>;

export interface DailyStatsDay {
  readonly day: string;
  readonly newUsers: number;
  readonly activeUsers: number;
  readonly generations: {
    readonly requested: number;
    readonly completed: number;
    readonly failed: number;
    readonly byFormat: Record<
      'talking_head' | 'background',
      { requested: number; completed: number; failed: number }
    >;
  };
  readonly credits: {
    readonly granted: number;
    readonly spent: number;
    readonly refunded: number;
    readonly revoked: number;
  };
  /** Telegram Stars: payments that day (their Stars, credits bought) and refunds made that day. */
  readonly stars: {
    readonly payments: number;
    readonly revenue: number;
    readonly creditsSold: number;
    readonly refunds: number;
    readonly refunded: number;
  };
  readonly stageTimings: StageTimings;
}

const emptyDay = (day: string): DailyStatsDay => ({
  day,
  newUsers: 0,
  activeUsers: 0,
  generations: {
    requested: 0,
    completed: 0,
    failed: 0,
    byFormat: {
      talking_head: { requested: 0, completed: 0, failed: 0 },
      background: { requested: 0, completed: 0, failed: 0 },
    },
  },
  credits: { granted: 0, spent: 0, refunded: 0, revoked: 0 },
  stars: { payments: 0, revenue: 0, creditsSold: 0, refunds: 0, refunded: 0 },
  stageTimings: {},
});

export const statsRoutes = (deps: ApiDeps) => [
  defineRoute({
    url: '/stats/daily',
    scope: 'analyst',
    tag: 'stats',
    summary: 'Daily statistics for a date range',
    description:
      'One entry per UTC day from `from` to `to` inclusive (days without activity are zeros): new and active users, generations requested/completed/failed overall and by format, credits granted/spent/refunded/revoked, and per-stage timings (p50/p95 in ms). Read from the `daily_stats` projection.',
    query: dailyQuery,
    async handle({ query }) {
      const rows = await dailyStatsBetween(deps.db, query.from, query.to);
      const byDay = new Map(rows.map((row) => [dayText(row.day), row]));
      const days = daysBetween(query.from, query.to).map((day): DailyStatsDay => {
        const row = byDay.get(day);
        if (!row) return emptyDay(day);
        return {
          day,
          newUsers: row.new_users,
          activeUsers: row.active_users,
          generations: {
            requested: row.generations_requested,
            completed: row.generations_completed,
            failed: row.generations_failed,
            byFormat: {
              talking_head: {
                requested: row.talking_head_requested,
                completed: row.talking_head_completed,
                failed: row.talking_head_failed,
              },
              background: {
                requested: row.background_requested,
                completed: row.background_completed,
                failed: row.background_failed,
              },
            },
          },
          credits: {
            granted: row.credits_granted,
            spent: row.credits_spent,
            refunded: row.credits_refunded,
            revoked: row.credits_revoked,
          },
          stars: {
            payments: row.stars_payments,
            revenue: row.stars_revenue,
            creditsSold: row.credits_sold,
            refunds: row.stars_refunds,
            refunded: row.stars_refunded,
          },
          stageTimings: row.stage_timings,
        };
      });
      return { from: query.from, to: query.to, days };
    },
  }),
  defineRoute({
    url: '/me',
    scope: 'analyst',
    tag: 'auth',
    summary: 'Who the token is',
    description:
      'The scope of the presented token (`analyst` or `admin`); the dashboard signs in with it.',
    query: withAtPosition({}),
    async handle({ principal }) {
      return { scope: principal.scope };
    },
  }),
];
