import { AppError } from '../errors/app-error.js';
import type { Logger } from '../logging/logger.js';
import type { ClaimedJob, JobQueue } from './job-queue.js';

/** Timers and a monotonic clock; tests pass a fake one. */
export interface LeaseClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realLeaseClock: LeaseClock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    timer.unref();
    return timer;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** What the keeper saw, for logs and tests: how late its timer fired and how long renewals took. */
export interface LeaseStats {
  readonly renewals: number;
  readonly failures: number;
  /** Worst delay between when a renewal was due and when its timer fired (event-loop stalls). */
  readonly maxTimerLagMs: number;
  /** Worst time between two successful renewals (or the claim and the first one). */
  readonly maxGapMs: number;
}

/**
 * Renews a claimed job's lease every third of the lease while the work runs, so a live worker keeps
 * it through two missed renewals and a dead one loses it within one lease. If renewal finds the
 * job taken by another worker, `onLost` fires so this one stops before it writes more. A renewal
 * that merely fails (database blip) is retried sooner than the regular beat, since the lease is
 * short. Each renewal is scheduled from when the previous one ended, never overlapping it, and the
 * timer's lateness is measured: the media stages block the event loop for tens of milliseconds at
 * a time, a database under load answers in hundreds; a gap near the lease is logged loudly.
 */
export class LeaseKeeper {
  private timer: unknown;
  private running = false;
  private lastHeldAt: number;
  private stats: LeaseStats = { renewals: 0, failures: 0, maxTimerLagMs: 0, maxGapMs: 0 };

  constructor(
    private readonly jobs: Pick<JobQueue, 'renew'>,
    private readonly job: ClaimedJob,
    private readonly leaseMs: number,
    private readonly onLost: () => void,
    private readonly log: Logger,
    private readonly clock: LeaseClock = realLeaseClock,
  ) {
    this.lastHeldAt = clock.now();
  }

  get everyMs(): number {
    return Math.max(20, Math.floor(this.leaseMs / 3));
  }

  start(): this {
    this.running = true;
    this.lastHeldAt = this.clock.now();
    this.schedule(this.everyMs);
    return this;
  }

  stop(): void {
    this.running = false;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  get measured(): LeaseStats {
    return this.stats;
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    const dueAt = this.clock.now() + ms;
    this.timer = this.clock.setTimeout(() => void this.renew(dueAt), ms);
  }

  private async renew(dueAt: number): Promise<void> {
    if (!this.running) return;
    const firedAt = this.clock.now();
    this.stats = {
      ...this.stats,
      maxTimerLagMs: Math.max(this.stats.maxTimerLagMs, firedAt - dueAt),
    };
    let next = this.everyMs;
    try {
      // A renewal that hangs counts as failed after one beat, so the check below still runs.
      const held = await withTimeout(
        this.jobs.renew(this.job, this.leaseMs),
        this.everyMs,
        this.clock,
      );
      if (!this.running) return;
      if (!held) {
        this.stop();
        this.log.warn(
          { generationId: this.job.generationId, workerId: this.job.claimedBy, ...this.stats },
          'lease lost to another worker; stopping this run',
        );
        this.onLost();
        return;
      }
      const now = this.clock.now();
      const gap = now - this.lastHeldAt;
      this.lastHeldAt = now;
      this.stats = {
        ...this.stats,
        renewals: this.stats.renewals + 1,
        maxGapMs: Math.max(this.stats.maxGapMs, gap),
      };
      if (gap > (this.leaseMs * 2) / 3) {
        this.log.warn(
          {
            generationId: this.job.generationId,
            gapMs: Math.round(gap),
            leaseMs: this.leaseMs,
            ...this.stats,
          },
          'lease renewed late: the event loop or the database is slow',
        );
      }
    } catch (error) {
      this.stats = { ...this.stats, failures: this.stats.failures + 1 };
      const sinceHeld = this.clock.now() - this.lastHeldAt;
      if (sinceHeld >= this.leaseMs) {
        // Unconfirmed for a whole lease: another worker may hold the job now, and two runs of one
        // generation must never overlap, so this one stops as if the lease were lost.
        this.stop();
        this.log.warn(
          {
            err: error,
            generationId: this.job.generationId,
            sinceHeldMs: Math.round(sinceHeld),
            leaseMs: this.leaseMs,
            ...this.stats,
          },
          'lease could not be renewed for a whole lease; stopping this run',
        );
        this.onLost();
        return;
      }
      this.log.warn(
        {
          err: error,
          generationId: this.job.generationId,
          sinceHeldMs: Math.round(sinceHeld),
          leaseMs: this.leaseMs,
        },
        'lease renewal failed; retrying',
      );
      // Retry at twice the beat until it lands; past the lease another worker may take the job,
      // and the next successful renewal (or `false`) says which.
      next = Math.max(20, Math.floor(this.everyMs / 2));
    }
    this.schedule(next);
  }
}

class RenewalTimeoutError extends AppError {
  override readonly name = 'RenewalTimeoutError';
  readonly code = 'LEASE_RENEWAL_TIMED_OUT';
  readonly retryable = true;
}

/** `promise`, or a rejection once `ms` pass on `clock`; the late result is ignored. */
function withTimeout<T>(promise: Promise<T>, ms: number, clock: LeaseClock): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = clock.setTimeout(
      () => reject(new RenewalTimeoutError(`lease renewal did not answer within ${ms} ms`)),
      ms,
    );
    promise.then(
      (value) => {
        clock.clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clock.clearTimeout(timer);
        reject(error);
      },
    );
  });
}
