/**
 * What went wrong with an external provider, in terms the pipeline can act on: whether a retry may
 * help, what to tell the user, and what the operator needs (status, provider, the cause's stack).
 */
export type ProviderErrorKind =
  | 'auth' // bad or missing key: an operator must fix the configuration
  | 'quota' // the plan's credits are exhausted
  | 'rate_limited' // 429: retry after a pause
  | 'invalid_request' // 400/422: our input is unacceptable; retrying cannot help
  | 'not_found' // a voice, request id or result that does not exist
  | 'content_policy' // the provider refused the content
  | 'server' // 5xx
  | 'timeout' // no answer within the deadline
  | 'malformed' // an answer that does not match the documented shape
  | 'network' // connection refused, reset, DNS
  | 'unavailable' // the circuit is open: failing fast without calling
  | 'cancelled'; // our own abort signal fired

const RETRYABLE: ReadonlySet<ProviderErrorKind> = new Set(['rate_limited', 'server', 'timeout', 'network']);

export interface ProviderErrorOptions {
  readonly provider: string;
  readonly kind: ProviderErrorKind;
  readonly status?: number;
  /** From `retry-after` (seconds or an HTTP date), already in milliseconds. */
  readonly retryAfterMs?: number;
  /** The provider's own error text, for the operator's log; never shown to users as is. */
  readonly detail?: string;
  readonly cause?: unknown;
}

export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly provider: string;
  readonly kind: ProviderErrorKind;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly detail: string | undefined;

  constructor(message: string, options: ProviderErrorOptions) {
    super(`${options.provider}: ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.provider = options.provider;
    this.kind = options.kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.detail = options.detail;
  }

  /** A retry of the same request may succeed. */
  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }

  /** Another provider (the local one) may succeed where this one cannot right now. */
  get fallbackAllowed(): boolean {
    return this.kind !== 'invalid_request' && this.kind !== 'content_policy' && this.kind !== 'cancelled';
  }
}

export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderError;
}

/** The usual mapping of an HTTP status; clients refine it from the body (quota, voice not found). */
export function kindOfStatus(status: number): ProviderErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 402) return 'quota';
  if (status === 404) return 'not_found';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  return 'invalid_request';
}

/** `retry-after` as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: () => number = Date.now): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now());
}
