import { createFalClient, type FalClient } from '@fal-ai/client';
import { httpCall, isProviderError, ProviderError } from '../provider-calls/index.js';
import { classifyFalError } from './fal-errors.js';

export const falQueueOrigin = 'https://queue.fal.run';

export interface FalHttpOptions {
  /** Names the provider in errors ('fal-omnihuman', 'fal-nano-banana'). */
  readonly provider: string;
  readonly credentials: string;
  /** FALAI_QUEUE_URL: replaces https://queue.fal.run (the local fake in tests). */
  readonly queueUrl?: string;
  /** Deadline of each single HTTP exchange (not of the job). */
  readonly requestTimeoutMs: number;
  readonly fetch?: typeof fetch;
}

// Bodies that must be empty by the Fetch standard; `new Response(body)` throws on them.
const nullBodyStatuses = new Set([101, 103, 204, 205, 304]);

/**
 * The fal SDK with every exchange going through our `httpCall`: it builds the queue URLs, auth
 * header and webhook query; we add the deadline, the typed `ProviderError` (with retry-after and
 * fal's content-policy 422), and the base-URL override. Errors leave the SDK as ProviderErrors
 * it does not recognise as HTTP errors, so its own retry loop (3 tries on 429/5xx, hard-wired per
 * queue call) stays out of the way and the shared policy alone decides about retries.
 */
export function createFalHttpClient(options: FalHttpOptions): FalClient {
  const base = options.queueUrl?.replace(/\/+$/, '');
  const falFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const original =
      typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const url =
      base && original.startsWith(falQueueOrigin)
        ? `${base}${original.slice(falQueueOrigin.length)}`
        : original;
    const result = await httpCall({
      provider: options.provider,
      url,
      method: init?.method ?? 'GET',
      headers: plainHeaders(init?.headers),
      ...(init?.body !== undefined && init.body !== null ? { body: init.body } : {}),
      timeoutMs: options.requestTimeoutMs,
      ...(init?.signal ? { signal: init.signal } : {}),
      classify: classifyFalError,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    }).catch((error: unknown) => {
      throw withoutTransportCodes(error);
    });
    const headers = new Headers({ 'content-type': 'application/json' });
    const requestId = result.headers.get('x-fal-request-id');
    if (requestId) headers.set('x-fal-request-id', requestId);
    const body = nullBodyStatuses.has(result.status) ? null : JSON.stringify(result.body ?? null);
    return new Response(body, { status: result.status, headers });
  };
  return createFalClient({
    credentials: options.credentials,
    fetch: falFetch,
    suppressLocalCredentialsWarning: true,
  });
}

/**
 * The SDK retries (up to 3 times, 1–4 s apart) any error whose cause chain carries a transport
 * code such as ECONNREFUSED, under our own retries. A network error therefore leaves here with
 * the code in its message and detail but not as a `code` property in its causes.
 */
function withoutTransportCodes(error: unknown): unknown {
  if (!isProviderError(error) || error.kind !== 'network') return error;
  const causes: string[] = [];
  for (
    let current: unknown = error.cause;
    current instanceof Error && causes.length < 4;
    current = current.cause
  ) {
    const code = (current as { code?: unknown }).code;
    causes.push(`${current.message}${typeof code === 'string' ? ` (${code})` : ''}`);
  }
  const described = causes.join(' <- ');
  return new ProviderError(`network error: ${described}`, {
    provider: error.provider,
    kind: 'network',
    detail: described,
    cause: new Error(described),
  });
}

function plainHeaders(headers: RequestInit['headers']): Record<string, string> {
  const plain: Record<string, string> = {};
  new Headers(headers).forEach((value, name) => {
    plain[name] = value;
  });
  return plain;
}
