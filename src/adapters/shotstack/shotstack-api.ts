import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { abortOrNetworkError } from '../provider-calls/http-call.js';
import {
  httpCall,
  kindOfStatus,
  ProviderError,
  type ProviderErrorKind,
} from '../provider-calls/index.js';
import type { ShotstackEdit } from './edit-types.js';
import {
  errorBodySchema,
  queuedRenderSchema,
  renderStatusSchema,
  type RenderStatusResponse,
} from './shotstack-responses.js';

export const shotstackProvider = 'shotstack';

export interface ShotstackApiOptions {
  readonly apiKey: string;
  readonly stage: 'stage' | 'v1';
  /** `https://api.shotstack.io` unless overridden (tests point it at the fake). */
  readonly baseUrl?: string;
  readonly requestTimeoutMs?: number;
  readonly downloadTimeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/**
 * One HTTP exchange each with the Edit API: submit, poll, fetch the file. Retries and the circuit
 * breaker are the caller's policy; this only turns answers into typed results and errors.
 */
export class ShotstackApi {
  private readonly base: string;
  private readonly headers: Record<string, string>;

  constructor(private readonly options: ShotstackApiOptions) {
    this.base = `${(options.baseUrl ?? 'https://api.shotstack.io').replace(/\/+$/, '')}/edit/${options.stage}`;
    this.headers = { 'x-api-key': options.apiKey, accept: 'application/json' };
  }

  async submit(edit: ShotstackEdit, signal?: AbortSignal): Promise<string> {
    const { body } = await httpCall({
      provider: shotstackProvider,
      url: `${this.base}/render`,
      method: 'POST',
      headers: { ...this.headers, 'content-type': 'application/json' },
      body: JSON.stringify(edit),
      timeoutMs: this.options.requestTimeoutMs ?? 30_000,
      signal,
      schema: queuedRenderSchema,
      classify,
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
    });
    return body.response.id;
  }

  async status(renderId: string, signal?: AbortSignal): Promise<RenderStatusResponse> {
    const { body } = await httpCall({
      provider: shotstackProvider,
      url: `${this.base}/render/${encodeURIComponent(renderId)}?data=false`,
      headers: this.headers,
      timeoutMs: this.options.requestTimeoutMs ?? 30_000,
      signal,
      schema: renderStatusSchema,
      classify,
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
    });
    return body.response;
  }

  /** Streams the rendered file to `path` (no API key: the URL is Shotstack's public CDN link). */
  async download(url: string, path: string, signal?: AbortSignal): Promise<number> {
    const timeoutMs = this.options.downloadTimeoutMs ?? 300_000;
    const deadline = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
    try {
      const response = await (this.options.fetch ?? fetch)(url, { signal: combined });
      if (!response.ok || !response.body) {
        await response.body?.cancel().catch(() => undefined);
        const kind: ProviderErrorKind = kindOfStatus(response.status);
        throw new ProviderError(`HTTP ${response.status} downloading the render`, {
          provider: shotstackProvider,
          // The file is Shotstack's for 24 h only; a 403/404 there means it is gone, not a bad key.
          kind: response.status === 403 || response.status === 404 ? 'not_found' : kind,
          status: response.status,
          detail: 'the rendered file could not be fetched from its URL',
        });
      }
      let bytes = 0;
      const counted = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
      counted.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      await pipeline(counted, createWriteStream(path));
      return bytes;
    } catch (error) {
      if (error instanceof ProviderError) throw error;
      throw abortOrNetworkError(shotstackProvider, error, signal, deadline, timeoutMs);
    }
  }
}

/** Shotstack's own words into the error: `response.error`, or the gateway's `message`. */
export function classify(
  status: number,
  body: unknown,
): Partial<Pick<ProviderError, 'kind' | 'detail'>> | undefined {
  const parsed = errorBodySchema.safeParse(body);
  const detail = parsed.success ? (parsed.data.response?.error ?? parsed.data.message) : undefined;
  if ((status === 402 || status === 403) && detail && /credit|quota|limit exceeded/i.test(detail))
    return { kind: 'quota', detail };
  return detail ? { detail } : undefined;
}
