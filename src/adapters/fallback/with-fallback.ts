import type { Logger } from '../../logging/logger.js';
import { isProviderError } from '../../ports/provider-error.js';

export interface FallbackContext {
  readonly stage: string;
  readonly primary: string;
  readonly fallback: string;
  readonly log?: Logger;
}

/**
 * Runs the cloud call and, when the provider is down, rate limited past its retries, misconfigured
 * or its circuit is open, the local one instead: the user gets a video, the operator a warning.
 * Refusals of the input itself (invalid request, content policy) and cancellations propagate, since
 * another provider would only repeat them or work for nobody.
 */
export async function withFallback<T>(
  context: FallbackContext,
  primary: () => Promise<T>,
  fallback: () => Promise<T>,
): Promise<T> {
  try {
    return await primary();
  } catch (error) {
    if (!isProviderError(error) || !error.fallbackAllowed) throw error;
    context.log?.warn(
      {
        stage: context.stage,
        provider: context.primary,
        fallback: context.fallback,
        kind: error.kind,
        status: error.status,
        err: error,
      },
      'provider failed; falling back to the local provider',
    );
    return fallback();
  }
}

/**
 * A stored job id the provider no longer knows (expired, purged) cannot be resumed: submit afresh
 * to the same provider rather than failing or dropping to the plainer local one.
 */
export async function resumeOrResubmit<T>(
  resumeRequestId: string | undefined,
  run: (resume: string | undefined) => Promise<T>,
  log?: Logger,
): Promise<T> {
  try {
    return await run(resumeRequestId);
  } catch (error) {
    if (resumeRequestId === undefined || !isProviderError(error) || error.kind !== 'not_found')
      throw error;
    log?.warn(
      { provider: error.provider, requestId: resumeRequestId },
      'stored request is gone at the provider; submitting again',
    );
    return run(undefined);
  }
}
