import {
  BrokenCircuitError,
  circuitBreaker,
  ConsecutiveBreaker,
  CircuitState,
  DelegateBackoff,
  handleWhen,
  retry,
  wrap,
  type IRetryBackoffContext,
} from 'cockatiel';
import type { Logger } from '../../logging/logger.js';
import { backoffDelayMs } from '../../resilience/backoff.js';
import { isProviderError, ProviderError } from '../../ports/provider-error.js';

export interface ProviderPolicyOptions {
  readonly provider: string;
  readonly log?: Logger;
  /** Attempts in all, the first included. */
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Consecutive failed calls (after their retries) that open the circuit. */
  readonly breakAfter?: number;
  /** How long the circuit stays open before one trial call is let through. */
  readonly halfOpenAfterMs?: number;
  /** Injected for deterministic tests. */
  readonly random?: () => number;
}

export interface ProviderPolicy {
  readonly provider: string;
  /** Runs `call` with retries on retryable errors and a circuit breaker around the whole. */
  execute<T>(call: (attempt: number) => Promise<T>, signal?: AbortSignal): Promise<T>;
  readonly circuit: 'closed' | 'open' | 'half-open' | 'isolated';
}

/**
 * Retries with exponential backoff and full jitter on 429, 5xx, timeouts and network errors,
 * waiting at least what `retry-after` asks; a breaker fails fast once the provider keeps failing
 * so callers can fall back to the local provider instead of queueing behind a dead service.
 */
export function createProviderPolicy(options: ProviderPolicyOptions): ProviderPolicy {
  const provider = options.provider;
  const maxAttempts = options.maxAttempts ?? 4;
  const base = options.baseDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 30_000;
  const random = options.random ?? Math.random;

  const backoff = new DelegateBackoff<IRetryBackoffContext<unknown>>((context) => {
    const jittered = backoffDelayMs(
      context.attempt,
      { baseMs: base, maxMs: cap, jitter: 'full' },
      random,
    );
    const error = 'error' in context.result ? context.result.error : undefined;
    const asked = isProviderError(error) ? (error.retryAfterMs ?? 0) : 0;
    return Math.min(Math.max(jittered, asked), Math.max(cap, asked));
  });
  const retryable = handleWhen((error) => isProviderError(error) && error.retryable);
  const retryPolicy = retry(retryable, { maxAttempts: maxAttempts - 1, backoff });
  retryPolicy.onRetry((event) => {
    const error = 'error' in event ? event.error : undefined;
    options.log?.warn(
      { provider, attempt: event.attempt, delayMs: event.delay, err: error },
      'provider call failed; retrying',
    );
  });
  // Only failures that say the provider is unwell count towards opening the circuit.
  const breaker = circuitBreaker(
    handleWhen(
      (error) => isProviderError(error) && (error.retryable || error.kind === 'malformed'),
    ),
    {
      halfOpenAfter: options.halfOpenAfterMs ?? 30_000,
      breaker: new ConsecutiveBreaker(options.breakAfter ?? 5),
    },
  );
  breaker.onBreak(() => options.log?.error({ provider }, 'circuit opened: failing fast'));
  breaker.onReset(() => options.log?.info({ provider }, 'circuit closed again'));
  const policy = wrap(breaker, retryPolicy);

  return {
    provider,
    get circuit() {
      const state = breaker.state;
      return state === CircuitState.Open
        ? 'open'
        : state === CircuitState.HalfOpen
          ? 'half-open'
          : state === CircuitState.Isolated
            ? 'isolated'
            : 'closed';
    },
    async execute<T>(call: (attempt: number) => Promise<T>, signal?: AbortSignal): Promise<T> {
      try {
        return await policy.execute((context) => call(context.attempt + 1), signal);
      } catch (error) {
        if (error instanceof BrokenCircuitError) {
          throw new ProviderError('circuit open after repeated failures', {
            provider,
            kind: 'unavailable',
            cause: error,
          });
        }
        throw error;
      }
    },
  };
}
