import { AppError } from '../errors/app-error.js';
import type { ErrorCode } from '../errors/error-codes.js';

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

const RETRYABLE: ReadonlySet<ProviderErrorKind> = new Set([
  'rate_limited',
  'server',
  'timeout',
  'network',
]);

/** The code of each kind: the same situation has the same code, cloud or local. */
const kindCodes: Readonly<Record<ProviderErrorKind, ErrorCode>> = {
  auth: 'PROVIDER_AUTH',
  quota: 'PROVIDER_QUOTA',
  rate_limited: 'PROVIDER_RATE_LIMITED',
  invalid_request: 'PROVIDER_INVALID_REQUEST',
  not_found: 'PROVIDER_NOT_FOUND',
  content_policy: 'PROVIDER_CONTENT_POLICY',
  server: 'PROVIDER_SERVER_ERROR',
  timeout: 'PROVIDER_TIMEOUT',
  malformed: 'PROVIDER_MALFORMED_ANSWER',
  network: 'PROVIDER_NETWORK',
  unavailable: 'PROVIDER_UNAVAILABLE',
  cancelled: 'PROVIDER_CANCELLED',
};

export function providerErrorCode(kind: ProviderErrorKind): ErrorCode {
  return kindCodes[kind];
}

export interface ProviderErrorOptions {
  readonly provider: string;
  readonly kind: ProviderErrorKind;
  readonly status?: number;
  /** From `retry-after` (seconds or an HTTP date), already in milliseconds. */
  readonly retryAfterMs?: number;
  /** The provider's own error text, for the operator's log; never shown to users as is. */
  readonly detail?: string;
  readonly cause?: unknown;
  /**
   * A finer code than the kind's, for a situation some caller acts on (`VOICE_CANNOT_READ` picks
   * what the user is told); the kind still decides retries and fallback.
   */
  readonly code?: ErrorCode;
  /**
   * The message already names the program (local providers' messages do): no `provider:` prefix.
   */
  readonly namedInMessage?: boolean;
}

/**
 * The one error family of providers, cloud and local alike: the fallback and the pipeline decide
 * on `kind` (and so `retryable`, `fallbackAllowed`), never on which provider threw.
 */
export class ProviderError extends AppError {
  override readonly name: string = 'ProviderError';
  readonly code: ErrorCode;
  readonly provider: string;
  readonly kind: ProviderErrorKind;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly detail: string | undefined;

  constructor(message: string, options: ProviderErrorOptions) {
    super(
      options.namedInMessage ? message : `${options.provider}: ${message}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = options.code ?? kindCodes[options.kind];
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
    return (
      this.kind !== 'invalid_request' && this.kind !== 'content_policy' && this.kind !== 'cancelled'
    );
  }
}

export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderError;
}

/**
 * The usual mapping of an HTTP status; clients refine it from the body (quota, voice not found).
 */
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
export function parseRetryAfter(
  value: string | null | undefined,
  now: () => number = Date.now,
): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now());
}
