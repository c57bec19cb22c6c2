import type { Kysely } from 'kysely';
import { reportStream } from '../../domain/events/schedule-events.js';
import type { EventStore } from '../../ports/event-store/event-store.js';
import type { Logger } from '../../logging/logger.js';
import type { ReadModelDatabase } from '../../database/schema.js';
import { computeDailyFigures, summarizeFigures } from './daily-figures.js';
import { renderReportCaption } from './report-caption.js';
import { renderReportPng } from './report-chart.js';
import { ReportSendError, type AdminReportSender } from './report-sender.js';
import { appendScheduleEvent, loadScheduleStream } from '../schedule-stream.js';

export type ReportTrigger = 'schedule' | 'catch_up' | 'resend';

export type ReportOutcome =
  | {
      readonly kind: 'delivered';
      readonly day: string;
      readonly attempt: number;
      readonly messageId: number;
      readonly pngBytes: number;
    }
  /** Another instance holds or finished the day: nothing to do here. */
  | {
      readonly kind:
        | 'claimed_elsewhere'
        | 'already_delivered'
        | 'abandoned'
        | 'nothing_to_resend'
        | 'claim_fresh';
      readonly day: string;
    }
  | {
      readonly kind: 'failed';
      readonly day: string;
      readonly attempt: number;
      readonly error: Error;
      readonly permanent: boolean;
    };

export interface DailyReportJobOptions {
  readonly store: EventStore;
  readonly db: Kysely<ReadModelDatabase>;
  readonly sender: AdminReportSender;
  readonly chatId: string;
  readonly timeZone: string;
  readonly instanceId: string;
  readonly log: Logger;
  readonly now: () => Date;
  /**
   * A claim older than this without a delivery is presumed dead (its instance crashed between
   * claim and send) and may be taken over for a resend.
   */
  readonly claimTimeoutMs?: number;
  /** Attempts per day before the report is abandoned, so a crash loop cannot spam the chat. */
  readonly maxAttempts?: number;
}

/**
 * One day's report, exactly once across instances: the first event of `report-<day>` is a claim
 * appended with expected state `no_stream`, so one instance wins and the others see a conflict.
 * The winner computes the figures, renders the chart, sends it, then appends `DailyReportDelivered`
 * at the claim's revision.
 *
 * A crash between claim and delivery leaves a claim with no delivery. After `claimTimeoutMs` any
 * instance may take it over with a new claim at the stream's current revision (again one winner)
 * and send it. That makes the claim exactly-once per attempt and the delivery at-least-once: if a
 * process dies after Telegram accepted the photo but before the delivered event was stored, the
 * admins see the report twice. We chose that over the opposite (a report that silently never
 * arrives), and cap the attempts so a crash loop cannot flood the chat.
 */
export class DailyReportJob {
  private readonly claimTimeoutMs: number;
  private readonly maxAttempts: number;

  constructor(private readonly options: DailyReportJobOptions) {
    this.claimTimeoutMs = options.claimTimeoutMs ?? 5 * 60_000;
    this.maxAttempts = options.maxAttempts ?? 3;
  }

  get timeZone(): string {
    return this.options.timeZone;
  }

  /**
   * `schedule`/`catch_up` claim the day only when nobody has; `resend` only takes over a stale,
   * undelivered claim.
   */
  async run(day: string, trigger: ReportTrigger): Promise<ReportOutcome> {
    const { store, instanceId, now, log } = this.options;
    const stream = reportStream(day);
    const loaded = await loadScheduleStream(store, stream);
    const last = loaded.events.at(-1)?.event;
    let attempt = 1;
    if (!last) {
      if (trigger === 'resend') return { kind: 'nothing_to_resend', day };
    } else {
      if (last.type === 'DailyReportDelivered') return { kind: 'already_delivered', day };
      if (last.type === 'DailyReportAbandoned') return { kind: 'abandoned', day };
      if (last.type !== 'DailyReportClaimed') return { kind: 'claimed_elsewhere', day };
      if (trigger !== 'resend') return { kind: 'claimed_elsewhere', day };
      const age = now().getTime() - Date.parse(last.data.claimedAt);
      if (age < this.claimTimeoutMs) return { kind: 'claim_fresh', day };
      if (last.data.attempt >= this.maxAttempts) {
        const reason = `no delivery after ${last.data.attempt} attempts`;
        await appendScheduleEvent(
          store,
          stream,
          { type: 'DailyReportAbandoned', data: { day, attempt: last.data.attempt, reason } },
          loaded.expected,
          this.context(stream),
        );
        log.error({ day, attempts: last.data.attempt }, 'daily report abandoned');
        return { kind: 'abandoned', day };
      }
      attempt = last.data.attempt + 1;
    }

    const claimed = await appendScheduleEvent(
      store,
      stream,
      {
        type: 'DailyReportClaimed',
        data: {
          day,
          timeZone: this.options.timeZone,
          attempt,
          claimedBy: instanceId,
          claimedAt: now().toISOString(),
          trigger,
        },
      },
      loaded.expected,
      this.context(stream),
    );
    if (!claimed) return { kind: 'claimed_elsewhere', day };
    const claimRevision = typeof loaded.expected === 'bigint' ? loaded.expected + 1n : 0n;
    log.info({ day, attempt, trigger }, 'daily report claimed');
    return this.deliver(day, attempt, claimRevision);
  }

  private async deliver(
    day: string,
    attempt: number,
    claimRevision: bigint,
  ): Promise<ReportOutcome> {
    const { store, db, sender, chatId, timeZone, log } = this.options;
    const stream = reportStream(day);
    const started = performance.now();
    try {
      const figures = await computeDailyFigures(db, day, timeZone);
      const png = await renderReportPng(figures);
      const { messageId } = await sender.sendReport({
        chatId,
        png,
        fileName: `daily-report-${day}.png`,
        caption: renderReportCaption(figures),
      });
      const summary = summarizeFigures(figures);
      const recorded = await appendScheduleEvent(
        store,
        stream,
        {
          type: 'DailyReportDelivered',
          data: { day, attempt, chatId, messageId, pngBytes: png.length, summary },
        },
        claimRevision,
        this.context(stream),
      );
      // Only possible when this attempt outlived its claim and another instance took over.
      if (!recorded)
        log.warn(
          { day, attempt },
          'daily report sent, but a newer attempt took over the claim: it may arrive twice',
        );
      log.info(
        {
          day,
          attempt,
          messageId,
          bytes: png.length,
          elapsedMs: Math.round(performance.now() - started),
          ...summary,
        },
        'daily report delivered',
      );
      return { kind: 'delivered', day, attempt, messageId, pngBytes: png.length };
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      const permanent = failure instanceof ReportSendError && !failure.retryable;
      log.error(
        {
          err: failure,
          day,
          attempt,
          permanent,
          elapsedMs: Math.round(performance.now() - started),
        },
        'daily report not delivered',
      );
      if (permanent) {
        await appendScheduleEvent(
          store,
          stream,
          {
            type: 'DailyReportAbandoned',
            data: { day, attempt, reason: failure.message.slice(0, 500) },
          },
          claimRevision,
          this.context(stream),
        ).catch((appendError: unknown) =>
          log.warn({ err: appendError, day }, 'could not record the abandoned report'),
        );
      }
      // A transient failure leaves the claim in place; once it is stale, a resend takes it over.
      return { kind: 'failed', day, attempt, error: failure, permanent };
    }
  }

  private context(stream: string) {
    return { instanceId: this.options.instanceId, now: this.options.now, correlationId: stream };
  }
}
