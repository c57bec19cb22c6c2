import { z } from 'zod';
import { EventDataError } from './catalog.js';
import { isoTimestampSchema } from './values.js';

// Events of the scheduler's own streams: `report-<yyyy-mm-dd>` (one daily report) and
// `cleanup-<slot>` (one cleanup run). They are operational bookkeeping, not user or generation
// facts, so they live outside `eventCatalog`: projections skip them (foreign types are not
// projected) and the domain catalog stays about users and generations. They follow the same rules:
// zod schemas, a schema version in the metadata, upcasters when a shape changes.
//
// The first event of each stream is appended with expected state `no_stream`, so across any number
// of instances exactly one wins the slot; the store's conflict tells the others they lost.

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;
export const calendarDaySchema = z.string().regex(dayPattern, 'expected yyyy-mm-dd');

/** An instance took the job of sending one day's report (attempt 1), or took over a stale claim. */
export const dailyReportClaimedV1 = z.object({
  day: calendarDaySchema,
  timeZone: z.string().min(1),
  attempt: z.int().positive(),
  claimedBy: z.string().min(1),
  claimedAt: isoTimestampSchema,
  /**
   * Why this attempt: the cron slot, the start-up catch-up, or a resend of an undelivered claim.
   */
  trigger: z.enum(['schedule', 'catch_up', 'resend']),
});

/** The report reached the admin chat. */
export const dailyReportDeliveredV1 = z.object({
  day: calendarDaySchema,
  attempt: z.int().positive(),
  chatId: z.string().min(1),
  messageId: z.int(),
  pngBytes: z.int().nonnegative(),
  /** The headline figures as sent, so the event log alone tells what admins were shown. */
  summary: z.record(z.string(), z.number()),
});

/** An attempt gave up for a reason a retry cannot fix (e.g. the chat is gone); no more resends. */
export const dailyReportAbandonedV1 = z.object({
  day: calendarDaySchema,
  attempt: z.int().positive(),
  reason: z.string().min(1),
});

/** An instance took one cleanup slot. */
export const cleanupClaimedV1 = z.object({
  slot: isoTimestampSchema,
  claimedBy: z.string().min(1),
  claimedAt: isoTimestampSchema,
});

/** What one cleanup run removed or resolved, per kind; a kind that failed says why. */
export const cleanupCompletedV1 = z.object({
  slot: isoTimestampSchema,
  elapsedMs: z.number().nonnegative(),
  temporaryFiles: z.object({
    deleted: z.int().nonnegative(),
    bytes: z.number().nonnegative(),
    error: z.string().nullable(),
  }),
  workDirectories: z.object({
    deleted: z.int().nonnegative(),
    bytes: z.number().nonnegative(),
    error: z.string().nullable(),
  }),
  abandonedEdits: z.object({
    found: z.int().nonnegative(),
    released: z.int().nonnegative(),
    error: z.string().nullable(),
  }),
  /**
   * Uploaded background clips past their retention and no longer in any draft; absent in older
   * events.
   */
  expiredUploads: z
    .object({
      deleted: z.int().nonnegative(),
      bytes: z.number().nonnegative(),
      error: z.string().nullable(),
    })
    .optional(),
});

export const scheduleEventSchemas = {
  DailyReportClaimed: dailyReportClaimedV1,
  DailyReportDelivered: dailyReportDeliveredV1,
  DailyReportAbandoned: dailyReportAbandonedV1,
  CleanupClaimed: cleanupClaimedV1,
  CleanupCompleted: cleanupCompletedV1,
} as const;

export type ScheduleEventType = keyof typeof scheduleEventSchemas;
export type ScheduleEventData<T extends ScheduleEventType> = z.infer<
  (typeof scheduleEventSchemas)[T]
>;
export type ScheduleEvent = {
  [T in ScheduleEventType]: { readonly type: T; readonly data: ScheduleEventData<T> };
}[ScheduleEventType];

/** Current schema version of every schedule event (all v1; bump and add an upcaster on change). */
export const scheduleEventVersion = (_type: ScheduleEventType): number => 1;

export const isScheduleEventType = (type: string): type is ScheduleEventType =>
  Object.hasOwn(scheduleEventSchemas, type);

/** Validates stored schedule-event data; throws EventDataError like the domain catalog does. */
export function parseScheduleEvent(
  type: string,
  data: unknown,
  schemaVersion: number,
): ScheduleEvent {
  if (!isScheduleEventType(type))
    throw new EventDataError(
      'unknown_event_type',
      type,
      schemaVersion,
      `Unknown schedule event "${type}"`,
    );
  if (schemaVersion !== scheduleEventVersion(type)) {
    throw new EventDataError(
      'unsupported_version',
      type,
      schemaVersion,
      `${type} v${schemaVersion} is not readable by this build`,
    );
  }
  const parsed = scheduleEventSchemas[type].safeParse(data);
  if (!parsed.success) {
    throw new EventDataError(
      'invalid_data',
      type,
      schemaVersion,
      `Invalid ${type}: ${parsed.error.message}`,
      parsed.error.issues,
    );
  }
  return { type, data: parsed.data } as ScheduleEvent;
}

// Stream names are stored data: changing a prefix orphans every existing claim.
const REPORT_PREFIX = 'report-';
const CLEANUP_PREFIX = 'cleanup-';

export function reportStream(day: string): string {
  if (!dayPattern.test(day)) throw new RangeError(`A report day is yyyy-mm-dd, got "${day}"`);
  return `${REPORT_PREFIX}${day}`;
}

/** One stream per scheduled instant, named by its UTC ISO time to the second. */
export function cleanupStream(slot: Date): string {
  if (Number.isNaN(slot.getTime())) throw new RangeError('A cleanup slot must be a valid date');
  return `${CLEANUP_PREFIX}${slot.toISOString().slice(0, 19)}Z`;
}
