import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../testing/pg-world.js';
import type { ClaimedJob } from './job-queue.js';
import { LeaseKeeper, type LeaseClock } from './lease-keeper.js';

const job: ClaimedJob = {
  generationId: 'g-1',
  userId: 1,
  attempts: 0,
  reclaimed: false,
  resumed: false,
  claimedBy: 'w-1',
};

// Date.now follows vitest's fake clock, and so do the timers below.
const fakeClock: LeaseClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Blocks the (fake) event loop for `ms`, as a tracker frame or a long synchronous step would. */
function stall(ms: number): void {
  vi.setSystemTime(Date.now() + ms);
}

describe('LeaseKeeper (fake clock)', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it('renews every third of the lease, from when the last renewal ended', async () => {
    const renewedAt: number[] = [];
    const keeper = new LeaseKeeper(
      { renew: async () => (renewedAt.push(Date.now()), true) },
      job,
      9000,
      () => undefined,
      silentLogger,
      fakeClock,
    ).start();
    await vi.advanceTimersByTimeAsync(9000);
    expect(renewedAt).toEqual([3000, 6000, 9000]);
    keeper.stop();
    await vi.advanceTimersByTimeAsync(9000);
    expect(renewedAt).toHaveLength(3);
  });

  it('keeps the lease through a slow database and a stalled event loop, and measures both', async () => {
    let lost = false;
    const keeper = new LeaseKeeper(
      {
        renew: async () => {
          // The renewal itself takes 400 ms under load; then the loop stalls for 150 ms.
          await new Promise((resolve) => setTimeout(resolve, 400));
          stall(150);
          return true;
        },
      },
      job,
      9000,
      () => (lost = true),
      silentLogger,
      fakeClock,
    ).start();
    await vi.advanceTimersByTimeAsync(60_000);
    keeper.stop();
    expect(lost).toBe(false);
    const stats = keeper.measured;
    expect(stats.renewals).toBeGreaterThan(10);
    // Every gap between held leases stays well inside the lease: two more renewals would fit.
    expect(stats.maxGapMs).toBeLessThan(9000 / 2);
    expect(stats.maxGapMs).toBeGreaterThanOrEqual(3000 + 400);
  });

  it('a failed renewal is retried at twice the beat; a refused one (another worker holds it) fires onLost once', async () => {
    const answers: Array<boolean | Error> = [new Error('connection reset'), true, false];
    const calls: number[] = [];
    let lost = 0;
    new LeaseKeeper(
      {
        renew: async () => {
          calls.push(Date.now());
          const answer = answers.shift() ?? false;
          if (answer instanceof Error) throw answer;
          return answer;
        },
      },
      job,
      9000,
      () => (lost += 1),
      silentLogger,
      fakeClock,
    ).start();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(calls).toEqual([3000, 4500, 7500]);
    expect(lost).toBe(1);
  });

  it('a lease that cannot be confirmed for a whole lease (renewals failing) stops the run: another worker may hold it', async () => {
    const calls: number[] = [];
    let lost = 0;
    new LeaseKeeper(
      {
        renew: async () => {
          calls.push(Date.now());
          throw new Error('connection refused');
        },
      },
      job,
      9000,
      () => (lost += 1),
      silentLogger,
      fakeClock,
    ).start();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(lost).toBe(1);
    // Held at 0; renewals at 3 s, then every 1.5 s; the one at 9 s finds a whole lease unconfirmed.
    expect(calls).toEqual([3000, 4500, 6000, 7500, 9000]);
  });

  it('a renewal that never answers counts as failed after one beat, so a hung database also ends the run', async () => {
    let lost = 0;
    const keeper = new LeaseKeeper(
      { renew: () => new Promise<boolean>(() => undefined) },
      job,
      9000,
      () => (lost += 1),
      silentLogger,
      fakeClock,
    ).start();
    await vi.advanceTimersByTimeAsync(8000);
    expect(lost).toBe(0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(lost).toBe(1);
    keeper.stop();
  });
});
