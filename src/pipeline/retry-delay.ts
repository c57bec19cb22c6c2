export interface RetryPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
}

/**
 * Exponential backoff with ±20 % jitter, so instances that failed together do not retry together.
 * `attempt` is 1 for the first retry.
 */
export function retryDelayMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponential = policy.baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 20));
  const capped = Math.min(policy.maxMs, exponential);
  return Math.max(0, Math.round(capped * (0.8 + 0.4 * random())));
}
