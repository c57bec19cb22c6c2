import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFalFake, type FalFake } from './fal-fake.js';

/**
 * The fake's wire protocol checked with plain fetch, against fal's documented queue protocol, so
 * the fake
 * and our client cannot drift into agreeing on something fal does not do.
 */
let fake: FalFake;
const key = { authorization: 'Key fake-fal-key', 'content-type': 'application/json' };

beforeAll(async () => {
  fake = await startFalFake({ queueMs: 600, minProcessingMs: 600 });
});

afterAll(async () => {
  await fake?.stop();
});

const submit = (
  body: unknown,
  headers: Record<string, string> = key,
  endpoint = 'fal-ai/nano-banana/edit',
) => fetch(`${fake.url}/${endpoint}`, { method: 'POST', headers, body: JSON.stringify(body) });

describe('fal fake wire protocol', () => {
  it('refuses a request without the right key with 401 and a detail', async () => {
    const response = await submit(
      { prompt: 'x', image_urls: ['http://127.0.0.1:1/x.png'] },
      { 'content-type': 'application/json', authorization: 'Key wrong' },
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toHaveProperty('detail');
  });

  it('answers missing fields with a 422 detail[] naming them', async () => {
    const response = await submit({ prompt: 'x' });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      detail: [{ loc: ['body', 'image_urls'], msg: 'field required', type: 'missing' }],
    });
  });

  it('walks IN_QUEUE → IN_PROGRESS → COMPLETED on owner/alias URLs, 202 until done, logs only when asked', async () => {
    // An unreachable input: the job still completes, and its result is the download error.
    const submitted = (await (
      await submit({ prompt: 'x', image_urls: ['http://127.0.0.1:9/nothing.png'] })
    ).json()) as Record<string, unknown>;
    expect(submitted).toMatchObject({ status: 'IN_QUEUE', queue_position: 0 });
    const id = String(submitted.request_id);
    expect(submitted.status_url).toBe(`${fake.url}/fal-ai/nano-banana/requests/${id}/status`);
    const seen: Array<[number, string]> = [];
    let last: Record<string, unknown> = {};
    for (let i = 0; i < 60 && last.status !== 'COMPLETED'; i += 1) {
      const response = await fetch(
        `${fake.url}/fal-ai/nano-banana/requests/${id}/status?logs=${i % 2}`,
        { headers: key },
      );
      last = (await response.json()) as Record<string, unknown>;
      if (seen.at(-1)?.[1] !== last.status) seen.push([response.status, String(last.status)]);
      if (last.status === 'IN_PROGRESS') expect(last.logs === null || i % 2 === 1).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(seen).toEqual([
      [202, 'IN_QUEUE'],
      [202, 'IN_PROGRESS'],
      [200, 'COMPLETED'],
    ]);
    const result = await fetch(`${fake.url}/fal-ai/nano-banana/requests/${id}`, { headers: key });
    expect(result.status).toBe(422);
    expect(result.headers.get('x-fal-request-id')).toBe(id);
    expect(((await result.json()) as { detail: Array<{ type: string }> }).detail[0]!.type).toBe(
      'file_download_error',
    );
    const cancel = await fetch(`${fake.url}/fal-ai/nano-banana/requests/${id}/cancel`, {
      method: 'PUT',
      headers: key,
    });
    expect(cancel.status).toBe(400);
    expect(await cancel.json()).toEqual({ status: 'ALREADY_COMPLETED' });
  });

  it('cancels a queued request and knows requests only under their own app', async () => {
    const { request_id: id } = (await (
      await submit({ prompt: 'x', image_urls: ['http://127.0.0.1:9/x.png'] })
    ).json()) as { request_id: string };
    expect(
      (await fetch(`${fake.url}/fal-ai/bytedance/requests/${id}/status`, { headers: key })).status,
    ).toBe(404);
    const cancel = await fetch(`${fake.url}/fal-ai/nano-banana/requests/${id}/cancel`, {
      method: 'PUT',
      headers: key,
    });
    expect(cancel.status).toBe(202);
    expect(await cancel.json()).toEqual({ status: 'CANCELLATION_REQUESTED' });
    expect(fake.jobs.get(id)!.cancelled).toBe(true);
  });

  it('injects a 429 with retry-after once, then behaves', async () => {
    fake.inject({ kind: 'status', status: 429, retryAfterSec: 2, route: 'submit' });
    const limited = await submit({ prompt: 'x', image_urls: ['http://127.0.0.1:9/x.png'] });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect((await submit({ prompt: 'x', image_urls: ['http://127.0.0.1:9/x.png'] })).status).toBe(
      200,
    );
  });
});
