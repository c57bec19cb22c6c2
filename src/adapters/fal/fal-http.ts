import { createFalClient, type FalClient } from '@fal-ai/client';
import { httpCall } from '../resilience/index.js';
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
 * queue call) stays out of the way and the shared policy alone decides about retries. The SDK
 * still retries bare transport failures (connection refused) by itself; see the report in §1.4.
 */
export function createFalHttpClient(options: FalHttpOptions): FalClient {
  const base = options.queueUrl?.replace(/\/+$/, '');
  const falFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const original = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const url = base && original.startsWith(falQueueOrigin) ? `${base}${original.slice(falQueueOrigin.length)}` : original;
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
    });
    const headers = new Headers({ 'content-type': 'application/json' });
    const requestId = result.headers.get('x-fal-request-id');
    if (requestId) headers.set('x-fal-request-id', requestId);
    const body = nullBodyStatuses.has(result.status) ? null : JSON.stringify(result.body ?? null);
    return new Response(body, { status: result.status, headers });
  };
  return createFalClient({ credentials: options.credentials, fetch: falFetch as typeof fetch, suppressLocalCredentialsWarning: true });
}

function plainHeaders(headers: RequestInit['headers']): Record<string, string> {
  const plain: Record<string, string> = {};
  new Headers(headers).forEach((value, name) => {
    plain[name] = value;
  });
  return plain;
}
