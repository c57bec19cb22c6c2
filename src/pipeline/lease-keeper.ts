import type { Logger } from '../logging/logger.js';
import type { ClaimedJob, JobQueue } from './job-queue.js';

/**
 * Renews a claimed job's lease a few times per lease period while the work runs. If renewal
 * finds the job taken by another worker, `onLost` fires so this one stops before it writes more.
 * A renewal that merely fails (database blip) is retried next tick: the lease has slack for that.
 */
export class LeaseKeeper {
  private timer: NodeJS.Timeout | undefined;
  private renewing = false;

  constructor(
    private readonly jobs: JobQueue,
    private readonly job: ClaimedJob,
    private readonly leaseMs: number,
    private readonly onLost: () => void,
    private readonly log: Logger,
  ) {}

  start(): this {
    const everyMs = Math.max(20, Math.floor(this.leaseMs / 3));
    this.timer = setInterval(() => void this.renew(), everyMs);
    this.timer.unref();
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async renew(): Promise<void> {
    if (this.renewing || !this.timer) return;
    this.renewing = true;
    try {
      const held = await this.jobs.renew(this.job, this.leaseMs);
      if (!held && this.timer) {
        this.stop();
        this.log.warn({ generationId: this.job.generationId, workerId: this.job.claimedBy }, 'lease lost to another worker; stopping this run');
        this.onLost();
      }
    } catch (error) {
      this.log.warn({ err: error, generationId: this.job.generationId }, 'lease renewal failed; retrying');
    } finally {
      this.renewing = false;
    }
  }
}
