import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { abortOrNetworkError } from '../provider-calls/http-call.js';
import { kindOfStatus, parseRetryAfter, ProviderError } from '../provider-calls/index.js';

export interface DownloadOptions {
  readonly provider: string;
  readonly url: string;
  readonly path: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly fetch?: typeof fetch;
}

/**
 * Streams a provider's result file to `path` (written under a temporary name and renamed, so a
 * half download is never taken for a result). A 404 means the result is gone: `not_found`.
 */
export async function downloadResult(options: DownloadOptions): Promise<number> {
  const { provider } = options;
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const partial = `${options.path}.partial-${process.pid}-${Date.now()}`;
  try {
    const response = await (options.fetch ?? fetch)(options.url, { signal });
    if (!response.ok || !response.body) {
      const text = await response.text().catch(() => '');
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      throw new ProviderError(`result download: HTTP ${response.status}`, {
        provider,
        kind: kindOfStatus(response.status),
        status: response.status,
        detail: `${new URL(options.url).pathname}: ${text.slice(0, 200)}`,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      });
    }
    await mkdir(dirname(options.path), { recursive: true });
    await pipeline(
      Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
      createWriteStream(partial),
    );
    await rename(partial, options.path);
    return (await stat(options.path)).size;
  } catch (error) {
    await rm(partial, { force: true });
    if (error instanceof ProviderError) throw error;
    throw abortOrNetworkError(provider, error, options.signal, deadline, options.timeoutMs);
  }
}
