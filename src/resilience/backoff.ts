/**
 * How a retry delay grows: `baseMs` for the first retry, doubled for each one after it, never past
 * `maxMs`, then jittered.
 */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
  /**
   * - a fraction (default 0.2): ± that share around the delay, so instances that failed together
   *   retry apart while each still waits about as long as the policy says;
   * - `'full'`: anywhere in [0, delay], for many callers contending for one resource (a provider's
   *   rate limit, one stream's expected revision), which are best spread as far as possible;
   * - `'none'`: exactly the delay, for a lone loop (one reconnecting subscription, one runner).
   */
  readonly jitter?: number | 'full' | 'none';
}

const defaultSpread = 0.2;
// 2 ** 40 ms is decades: every real policy is capped long before, and the product stays finite.
const maxDoublings = 40;

/**
 * The delay before retry number `attempt` (1 for the first retry), in whole milliseconds. Every
 * place that waits before trying again asks here, so one policy shape covers them all.
 */
export function backoffDelayMs(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const doublings = Math.max(0, Math.min(Math.floor(attempt) - 1, maxDoublings));
  const capped = Math.min(policy.maxMs, policy.baseMs * 2 ** doublings);
  const jitter = policy.jitter ?? defaultSpread;
  if (jitter === 'none') return Math.max(0, Math.round(capped));
  if (jitter === 'full') return Math.max(0, Math.round(capped * random()));
  return Math.max(0, Math.round(capped * (1 - jitter + 2 * jitter * random())));
}
