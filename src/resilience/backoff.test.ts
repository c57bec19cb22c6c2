import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, type BackoffPolicy } from './backoff.js';

const middle = () => 0.5;

describe('backoffDelayMs', () => {
  it.each([
    // Without jitter: base, doubled per attempt, capped.
    [1, { baseMs: 100, maxMs: 30_000, jitter: 'none' }, 100],
    [2, { baseMs: 100, maxMs: 30_000, jitter: 'none' }, 200],
    [9, { baseMs: 100, maxMs: 30_000, jitter: 'none' }, 25_600],
    [10, { baseMs: 100, maxMs: 30_000, jitter: 'none' }, 30_000],
    [1_000, { baseMs: 100, maxMs: 30_000, jitter: 'none' }, 30_000],
    // Attempt 0 or less waits like the first retry.
    [0, { baseMs: 100, maxMs: 30_000, jitter: 'none' }, 100],
    [-3, { baseMs: 100, maxMs: 30_000, jitter: 'none' }, 100],
    // The default ±20 % spread, at its middle, is the plain delay.
    [3, { baseMs: 200, maxMs: 30_000 }, 800],
    // Full jitter at its middle is half of it.
    [3, { baseMs: 2, maxMs: 50, jitter: 'full' }, 4],
    [7, { baseMs: 2, maxMs: 50, jitter: 'full' }, 25],
  ] satisfies [number, BackoffPolicy, number][])(
    'attempt %i under %o waits %i ms',
    (attempt, policy, expected) => {
      expect(backoffDelayMs(attempt, policy, middle)).toBe(expected);
    },
  );

  it('the spread jitter reaches exactly its bounds', () => {
    const policy = { baseMs: 1000, maxMs: 60_000, jitter: 0.2 };
    expect(backoffDelayMs(1, policy, () => 0)).toBe(800);
    expect(backoffDelayMs(1, policy, () => 1)).toBe(1200);
  });

  it('stays a whole, finite number inside the jitter band around the capped exponential', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -5, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 3_600_000 }),
        fc.oneof(
          fc.constant<'none'>('none'),
          fc.constant<'full'>('full'),
          fc.double({ min: 0, max: 1, noNaN: true }),
        ),
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        (attempt, baseMs, maxMs, jitter, draw) => {
          const delay = backoffDelayMs(attempt, { baseMs, maxMs, jitter }, () => draw);
          const plain = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 40)));
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          if (jitter === 'none') expect(delay).toBe(Math.round(plain));
          else if (jitter === 'full') expect(delay).toBeLessThanOrEqual(Math.round(plain));
          else {
            expect(delay).toBeGreaterThanOrEqual(Math.floor(plain * (1 - jitter)));
            expect(delay).toBeLessThanOrEqual(Math.ceil(plain * (1 + jitter)));
          }
        },
      ),
    );
  });

  it('never shrinks from one attempt to the next without jitter', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 600_000 }),
        (attempt, baseMs, maxMs) => {
          const policy = { baseMs, maxMs, jitter: 'none' } as const;
          expect(backoffDelayMs(attempt + 1, policy)).toBeGreaterThanOrEqual(
            backoffDelayMs(attempt, policy),
          );
        },
      ),
    );
  });
});
