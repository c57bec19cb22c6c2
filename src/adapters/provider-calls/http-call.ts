import type { z } from 'zod';
import { kindOfStatus, parseRetryAfter, ProviderError } from '../../ports/provider-error.js';

export interface HttpCallOptions<T> {
  readonly provider: string;
  readonly url: string;
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: RequestInit['body'];
  /** Per-attempt deadline; the caller's signal still cancels the whole call. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** The documented success body; a body that does not match is a `malformed` error. */
  readonly schema?: z.ZodType<T>;
  /** Turns an error response into a more precise error (quota, voice not found, policy). */
  readonly classify?: (
    status: number,
    body: unknown,
    text: string,
  ) => Partial<Pick<ProviderError, 'kind' | 'detail'>> | undefined;
  readonly fetch?: typeof fetch;
}

export interface HttpCallResult<T> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/**
 * One HTTP exchange with a provider: deadline, status → typed error (with `retry-after`), and the
 * body checked against its schema. Retries belong to the policy around it, not here.
 */
export async function httpCall<T = unknown>(
  options: HttpCallOptions<T>,
): Promise<HttpCallResult<T>> {
  const { provider } = options;
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(options.url, {
      method: options.method ?? 'GET',
      ...(options.headers ? { headers: options.headers } : {}),
      ...(options.body !== undefined ? { body: options.body } : {}),
      signal,
    });
  } catch (error) {
    throw abortOrNetworkError(provider, error, options.signal, deadline, options.timeoutMs);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw abortOrNetworkError(provider, error, options.signal, deadline, options.timeoutMs);
  }
  const parsed = parseJson(text);
  if (!response.ok) {
    const refined = options.classify?.(response.status, parsed, text);
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    throw new ProviderError(`HTTP ${response.status} from ${new URL(options.url).pathname}`, {
      provider,
      kind: refined?.kind ?? kindOfStatus(response.status),
      status: response.status,
      detail: refined?.detail ?? text.slice(0, 500),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
  if (!options.schema)
    return { status: response.status, headers: response.headers, body: parsed as T };
  const checked = options.schema.safeParse(parsed);
  if (!checked.success) {
    throw new ProviderError(`unexpected response body from ${new URL(options.url).pathname}`, {
      provider,
      kind: 'malformed',
      status: response.status,
      detail: `${checked.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')} in ${text.slice(0, 300)}`,
      cause: checked.error,
    });
  }
  return { status: response.status, headers: response.headers, body: checked.data };
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function abortOrNetworkError(
  provider: string,
  error: unknown,
  callerSignal: AbortSignal | undefined,
  deadline: AbortSignal,
  timeoutMs: number,
): ProviderError {
  if (callerSignal?.aborted)
    return new ProviderError('cancelled', { provider, kind: 'cancelled', cause: error });
  if (deadline.aborted)
    return new ProviderError(`no answer within ${timeoutMs} ms`, {
      provider,
      kind: 'timeout',
      cause: error,
    });
  return new ProviderError(`network error: ${(error as Error)?.message ?? String(error)}`, {
    provider,
    kind: 'network',
    cause: error,
  });
}
