import {
  figuresBetween,
  reportFormats,
  type FormatFigures,
  type WindowFigures,
} from '../../queries/daily-figures.js';
import type { ReadModelsDb } from '../../queries/read-models-db.js';
import { addDays, localDayWindow } from '../../calendar/time-zone.js';

export {
  reportFormats,
  type FormatFigures,
  type ReportFormat,
  type StageTiming,
} from '../../queries/daily-figures.js';

export interface DailyFigures extends WindowFigures {
  readonly day: string;
  readonly timeZone: string;
  readonly from: Date;
  readonly to: Date;
}

/**
 * Yesterday's figures for the admins, over the local day [from, to) in the report's time zone.
 * A local day overlaps each UTC day in a prefix or a suffix, so the `user_activity` rows of the day
 * before to the day after cover it; the active-user count is exact for every zone whose day is not
 * strictly inside one UTC day (that only happens on a 23-hour DST day in a zone within one hour of
 * UTC; then a user active only mid-day is missed).
 */
export async function computeDailyFigures(
  db: ReadModelsDb,
  day: string,
  timeZone: string,
): Promise<DailyFigures> {
  const { from, to } = localDayWindow(day, timeZone);
  const figures = await figuresBetween(db, {
    from,
    to,
    activityDays: { first: addDays(day, -1), last: addDays(day, 1) },
  });
  return { day, timeZone, from, to, ...figures };
}

/** The headline numbers, flat, for the delivered event and logs. */
export function summarizeFigures(figures: DailyFigures): Record<string, number> {
  const total = (key: keyof FormatFigures) =>
    reportFormats.reduce((sum, format) => sum + figures.generations[format][key], 0);
  return {
    newUsers: figures.newUsers,
    activeUsers: figures.activeUsers,
    generationsRequested: total('requested'),
    generationsCompleted: total('completed'),
    generationsFailed: total('failed'),
    creditsGranted: figures.credits.granted,
    creditsSpent: figures.credits.spent,
    creditsRefunded: figures.credits.refunded,
    creditsRevoked: figures.credits.revoked,
    starsPayments: figures.stars.payments,
    starsRevenue: figures.stars.revenue,
    creditsSold: figures.stars.creditsSold,
    starsRefunded: figures.stars.refunded,
  };
}
