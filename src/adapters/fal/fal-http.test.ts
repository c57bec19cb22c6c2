import { describe, expect, it } from 'vitest';
import { createLogger } from '../../logging/logger.js';
import { createProviderPolicy, ProviderError } from '../provider-calls/index.js';
import { createFalHttpClient } from './fal-http.js';

const log = createLogger({ level: 'silent' });

describe('createFalHttpClient', () => {
  it('rewrites queue.fal.run to FALAI_QUEUE_URL and sends the key as fal expects', async () => {
    const seen: Array<{ url: string; auth: string | null }> = [];
    const fetchSpy = (async (input: string | URL | Request, init?: RequestInit) => {
      seen.push({ url: String(input), auth: new Headers(init?.headers).get('authorization') });
      return new Response(
        JSON.stringify({ status: 'IN_QUEUE', request_id: 'r1', queue_position: 0 }),
        { status: 200, headers: { 'content-type': 'application/json' } },
      );
    }) as typeof fetch;
    const client = createFalHttpClient({
      provider: 'p',
      credentials: 'k',
      queueUrl: 'http://127.0.0.1:9/prefix/',
      requestTimeoutMs: 1000,
      fetch: fetchSpy,
    });
    await client.queue.submit('fal-ai/bytedance/omnihuman/v1.5', {
      input: { image_url: 'a', audio_url: 'b' },
      webhookUrl: 'https://bot.example/hook',
    });
    expect(seen).toEqual([
      {
        url: 'http://127.0.0.1:9/prefix/fal-ai/bytedance/omnihuman/v1.5?fal_webhook=https%3A%2F%2Fbot.example%2Fhook',
        auth: 'Key k',
      },
    ]);
  });

  it('leaves retries of refused connections to our policy: one exchange per policy attempt', async () => {
    let calls = 0;
    const refusing = (async () => {
      calls += 1;
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {
          code: 'ECONNREFUSED',
        }),
      });
    }) as typeof fetch;
    const client = createFalHttpClient({
      provider: 'p',
      credentials: 'k',
      requestTimeoutMs: 1000,
      fetch: refusing,
    });
    const policy = createProviderPolicy({ provider: 'p', log, maxAttempts: 2, baseDelayMs: 1 });
    const error = await policy
      .execute(() => client.queue.status('fal-ai/x', { requestId: 'r' }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe('network');
    expect((error as ProviderError).detail).toMatch(/ECONNREFUSED/);
    expect(calls).toBe(2);
  });
});
