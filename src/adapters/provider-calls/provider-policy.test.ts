import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { httpCall } from './http-call.js';
import { ProviderError, parseRetryAfter } from '../../ports/provider-error.js';
import { createProviderPolicy } from './provider-policy.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
  );
});

async function serve(
  answers: Array<(res: import('node:http').ServerResponse) => void>,
): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((_req, res) => {
    const answer = answers[Math.min(hits, answers.length - 1)]!;
    hits += 1;
    answer(res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/thing`,
    hits: () => hits,
  };
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  (res: import('node:http').ServerResponse) => {
    res
      .writeHead(status, { 'content-type': 'application/json', ...headers })
      .end(JSON.stringify(body));
  };
const schema = z.object({ ok: z.literal(true) });

describe('httpCall', () => {
  it('maps statuses to kinds and reads retry-after', async () => {
    const cases: Array<[number, string]> = [
      [401, 'auth'],
      [402, 'quota'],
      [404, 'not_found'],
      [422, 'invalid_request'],
      [429, 'rate_limited'],
      [500, 'server'],
    ];
    for (const [status, kind] of cases) {
      const { url } = await serve([json(status, { detail: 'nope' }, { 'retry-after': '2' })]);
      const error = await httpCall({ provider: 'p', url, timeoutMs: 2000, schema }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).kind).toBe(kind);
      expect((error as ProviderError).status).toBe(status);
      expect((error as ProviderError).retryAfterMs).toBe(2000);
    }
  });

  it('rejects a body that does not match the documented shape as malformed', async () => {
    const { url } = await serve([json(200, { ok: 'yes' })]);
    const error = (await httpCall({ provider: 'p', url, timeoutMs: 2000, schema }).catch(
      (caught: unknown) => caught,
    )) as ProviderError;
    expect(error.kind).toBe('malformed');
    expect(error.retryable).toBe(false);
  });

  it('gives up on a hanging server at the deadline, and tells cancellation apart', async () => {
    const { url } = await serve([() => undefined]);
    const timedOut = (await httpCall({ provider: 'p', url, timeoutMs: 150 }).catch(
      (caught: unknown) => caught,
    )) as ProviderError;
    expect(timedOut.kind).toBe('timeout');
    const controller = new AbortController();
    const pending = httpCall({
      provider: 'p',
      url,
      timeoutMs: 5000,
      signal: controller.signal,
    }).catch((caught: unknown) => caught);
    controller.abort();
    expect(((await pending) as ProviderError).kind).toBe('cancelled');
  });

  it('parses retry-after as seconds or an HTTP date', () => {
    expect(parseRetryAfter('1.5')).toBe(1500);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), () => 4_000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('createProviderPolicy', () => {
  it('retries 429 and 5xx, waiting at least retry-after, then succeeds', async () => {
    const { url, hits } = await serve([
      json(429, {}, { 'retry-after': '0.2' }),
      json(503, {}),
      json(200, { ok: true }),
    ]);
    const policy = createProviderPolicy({ provider: 'p', baseDelayMs: 1, random: () => 0 });
    const started = Date.now();
    const result = await policy.execute(() =>
      httpCall({ provider: 'p', url, timeoutMs: 2000, schema }),
    );
    expect(result.body).toEqual({ ok: true });
    expect(hits()).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('does not retry what cannot succeed', async () => {
    const { url, hits } = await serve([json(422, { detail: 'bad' })]);
    const policy = createProviderPolicy({ provider: 'p', baseDelayMs: 1 });
    await expect(
      policy.execute(() => httpCall({ provider: 'p', url, timeoutMs: 2000 })),
    ).rejects.toMatchObject({ kind: 'invalid_request' });
    expect(hits()).toBe(1);
  });

  it('opens the circuit after repeated failures and fails fast without calling', async () => {
    const { url, hits } = await serve([json(500, {})]);
    const policy = createProviderPolicy({
      provider: 'p',
      maxAttempts: 2,
      baseDelayMs: 1,
      breakAfter: 2,
      halfOpenAfterMs: 60_000,
    });
    for (let i = 0; i < 2; i += 1) {
      await expect(
        policy.execute(() => httpCall({ provider: 'p', url, timeoutMs: 2000 })),
      ).rejects.toMatchObject({ kind: 'server' });
    }
    expect(policy.circuit).toBe('open');
    const before = hits();
    const error = (await policy
      .execute(() => httpCall({ provider: 'p', url, timeoutMs: 2000 }))
      .catch((caught: unknown) => caught)) as ProviderError;
    expect(error.kind).toBe('unavailable');
    expect(error.fallbackAllowed).toBe(true);
    expect(hits()).toBe(before);
  });

  it('passes 1-based attempt numbers to the call', async () => {
    const seen: number[] = [];
    const policy = createProviderPolicy({ provider: 'p', baseDelayMs: 1 });
    await policy.execute(async (attempt) => {
      seen.push(attempt);
      if (attempt < 3) throw new ProviderError('flaky', { provider: 'p', kind: 'network' });
      return 'ok';
    });
    expect(seen).toEqual([1, 2, 3]);
  });
});
