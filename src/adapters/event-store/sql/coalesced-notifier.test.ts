import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CoalescedNotifier } from './coalesced-notifier.js';

describe('CoalescedNotifier', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends the first signal at once, then one per interval for a burst, and nothing once idle', async () => {
    const sent: number[] = [];
    const notifier = new CoalescedNotifier(async () => {
      sent.push(Date.now());
    }, 10);
    const start = Date.now();

    notifier.signal();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((at) => at - start)).toEqual([0]);

    // A burst of 13 appends within 25 ms: 2 or 3 more notifications, 10 ms apart, not 13.
    for (let ms = 0; ms < 25; ms += 1) {
      if (ms % 2 === 0) notifier.signal();
      await vi.advanceTimersByTimeAsync(1);
    }
    await vi.advanceTimersByTimeAsync(50);
    await notifier.flush();
    const gaps = sent.slice(1).map((at, index) => at - sent[index]!);
    expect(sent.length).toBeGreaterThanOrEqual(3);
    expect(sent.length).toBeLessThanOrEqual(4);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(10);

    // The last signal of the burst was not lost: nothing is pending, and a later one goes out at
    // once.
    const before = sent.length;
    await vi.advanceTimersByTimeAsync(100);
    expect(sent).toHaveLength(before);
    const later = Date.now();
    notifier.signal();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.at(-1)).toBe(later);
  });

  it('a signal during a send is delivered by a send after it', async () => {
    let release: () => void = () => undefined;
    const sends: string[] = [];
    const notifier = new CoalescedNotifier(
      () =>
        new Promise<void>((resolve) => {
          sends.push('start');
          release = () => {
            sends.push('end');
            resolve();
          };
        }),
      10,
    );
    notifier.signal();
    await vi.advanceTimersByTimeAsync(0);
    notifier.signal();
    release();
    await vi.advanceTimersByTimeAsync(10);
    release();
    await notifier.flush();
    expect(sends).toEqual(['start', 'end', 'start', 'end']);
  });

  it('a failing send does not stop later ones', async () => {
    let calls = 0;
    const notifier = new CoalescedNotifier(async () => {
      calls += 1;
      if (calls === 1) throw new Error('connection lost');
    }, 10);
    notifier.signal();
    await vi.advanceTimersByTimeAsync(0);
    notifier.signal();
    await vi.advanceTimersByTimeAsync(20);
    await notifier.flush();
    expect(calls).toBe(2);
  });

  it('names every type signalled since the previous send', async () => {
    const sent: string[][] = [];
    const notifier = new CoalescedNotifier(async (types) => {
      sent.push([...types].sort());
    }, 10);
    notifier.signal(['A']);
    await vi.advanceTimersByTimeAsync(0);
    notifier.signal(['B']);
    notifier.signal(['C', 'B']);
    notifier.signal();
    await vi.advanceTimersByTimeAsync(20);
    await notifier.flush();
    expect(sent).toEqual([['A'], ['B', 'C']]);
  });
});
