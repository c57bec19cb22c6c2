import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { abortOrNetworkError } from '../provider-calls/http-call.js';
import { kindOfStatus, parseRetryAfter, ProviderError } from '../provider-calls/index.js';

export interface DownloadOptions {
  readonly provider: string;
  readonly url: string;
  readonly headers?: Record<string, string>;
  /** Deadline for the whole transfer, body included. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly fetch?: typeof fetch;
}

/**
 * `httpCall` for a binary body: the same deadline, status → typed `ProviderError` mapping and
 * cancellation, but the body is streamed to `path` instead of read into memory as text.
 */
export async function downloadToFile(
  options: DownloadOptions,
  path: string,
): Promise<{ bytes: number; contentType: string }> {
  const { provider } = options;
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(options.url, {
      method: 'GET',
      ...(options.headers ? { headers: options.headers } : {}),
      signal,
    });
  } catch (error) {
    throw abortOrNetworkError(provider, error, options.signal, deadline, options.timeoutMs);
  }
  if (!response.ok) {
    const text = await response.text().catch(() => '');
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    throw new ProviderError(`HTTP ${response.status} from ${new URL(options.url).pathname}`, {
      provider,
      kind: kindOfStatus(response.status),
      status: response.status,
      detail: text.slice(0, 500),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
  const contentType = response.headers.get('content-type') ?? '';
  if (!response.body)
    throw new ProviderError('empty response body', {
      provider,
      kind: 'malformed',
      status: response.status,
    });
  let bytes = 0;
  const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
  body.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  try {
    await pipeline(body, createWriteStream(path), { signal });
  } catch (error) {
    throw abortOrNetworkError(provider, error, options.signal, deadline, options.timeoutMs);
  }
  return { bytes, contentType };
}
