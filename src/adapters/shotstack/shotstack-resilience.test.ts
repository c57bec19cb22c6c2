import { access } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileStorage } from '../../ports/file-storage/file-storage.js';
import {
  makeMontageFixtures,
  type MontageFixtures,
} from '../../testing/montage/montage-fixtures.js';
import { requireMediaTools, tempDir } from '../../testing/media/media-fixtures.js';
import { ProviderError } from '../provider-calls/index.js';
import {
  ShotstackRenderFailedError,
  ShotstackSubmitUncertainError,
} from './shotstack-montage-renderer.js';
import {
  greenscreenRequests,
  startShotstackHarness,
  type ShotstackHarness,
} from '../../testing/shotstack/shotstack-test-harness.js';

let fixtures: MontageFixtures;
let harness: ShotstackHarness;

beforeAll(async () => {
  fixtures = await makeMontageFixtures(
    await requireMediaTools(),
    await tempDir('shotstack-resilience'),
    { speechSec: 1 },
  );
  harness = await startShotstackHarness();
});
afterAll(async () => {
  await harness?.cleanup();
});

const request = greenscreenRequests(() => fixtures, 'resilience');

const posts = () => harness.fake.requests.filter((r) => r.method === 'POST');
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('the render should have failed'),
    (error: unknown) => error as ProviderError,
  );

const uploads = async () => (await harness.storage.list('tmp/montage/')).map((file) => file.key);

/**
 * No output file, and the inputs uploaded for this render gone (or, with `kept`, still there for a
 * resume).
 */
async function expectNoLeftovers(
  outputPath: string,
  uploadsBefore: readonly string[],
  kept = false,
): Promise<void> {
  await expect(access(outputPath)).rejects.toThrow();
  const added = (await uploads()).filter((key) => !uploadsBefore.includes(key));
  if (kept)
    expect(added.map((key) => key.split('/').at(-1)).sort()).toEqual([
      'background.mp4',
      'captions.srt',
      'overlay.mp4',
      'speech.mp3',
    ]);
  else expect(added).toEqual([]);
}

describe('ShotstackMontageRenderer through the fake: the happy path', () => {
  it('uploads the inputs as signed links, reports the id before waiting, copies the file, prices it, and cleans up', async () => {
    const before = harness.fake.requests.length;
    const uploadsBefore = await uploads();
    let statusPollsAtSubmission = -1;
    const renderer = harness.renderer({ pricePerMinuteUsd: 0.6 });
    const result = await renderer.render(
      request({
        onSubmitted: (id) => {
          statusPollsAtSubmission = harness.fake.requests.filter((r) =>
            r.path.endsWith(`/render/${id}`),
          ).length;
        },
      }),
    );
    expect(statusPollsAtSubmission).toBe(0);
    const render = harness.fake.renders.at(-1)!;
    expect(render.status).toBe('done');
    // Every input came from our storage's signed download route, and the speech and captions were
    // among them.
    expect(render.fetched.length).toBe(4);
    expect(
      render.fetched.every((url) => url.startsWith(`${new URL(render.fetched[0]!).origin}/files/`)),
    ).toBe(true);
    const newRequests = harness.fake.requests.slice(before);
    expect(newRequests[0]).toMatchObject({ method: 'POST', path: '/edit/v1/render', status: 201 });
    expect(newRequests.filter((r) => r.path.startsWith('/serve/'))).toHaveLength(1);
    expect(result.costUsd).toBeCloseTo((result.durationSec / 60) * 0.6, 4);
    expect(result.durationSec).toBeLessThanOrEqual(fixtures.speechSec + 0.1);
    expect(await uploads()).toEqual(uploadsBefore);
  });
});

describe('ShotstackMontageRenderer through the fake: failures', () => {
  it('a wrong key is 403 Forbidden → auth, not retried, uploads removed', async () => {
    const before = posts().length;
    const uploadsBefore = await uploads();
    const req = request();
    const error = await failure(harness.renderer({ apiKey: 'wrong-key' }).render(req));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'auth', status: 403, detail: 'Forbidden' });
    expect(error.retryable).toBe(false);
    expect(error.fallbackAllowed).toBe(true);
    expect(posts().length - before).toBe(1);
    await expectNoLeftovers(req.outputPath, uploadsBefore);
  });

  it('401 → auth', async () => {
    harness.fake.inject({ kind: 'http', on: 'submit', status: 401 });
    const error = await failure(harness.renderer().render(request()));
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
  });

  it("422 → invalid_request carrying Shotstack's own error text, not retried, no fallback", async () => {
    const before = posts().length;
    harness.fake.inject({
      kind: 'http',
      on: 'submit',
      status: 422,
      body: {
        success: false,
        message: 'Unprocessable',
        response: { error: 'Clip 3 has an invalid src' },
      },
    });
    const error = await failure(harness.renderer().render(request()));
    expect(error).toMatchObject({
      kind: 'invalid_request',
      status: 422,
      detail: 'Clip 3 has an invalid src',
    });
    expect(error.fallbackAllowed).toBe(false);
    expect(posts().length - before).toBe(1);
  });

  it('429 rate_limit_error with retry-after → waits at least that long, then renders', async () => {
    const before = posts().length;
    harness.fake.inject({ kind: 'http', on: 'submit', status: 429, retryAfterSec: 0.4 });
    const result = await harness.renderer().render(request());
    const [limited, accepted] = posts().slice(before);
    expect(limited).toMatchObject({ status: 429 });
    expect(accepted).toMatchObject({ status: 201 });
    expect(accepted!.at - limited!.at).toBeGreaterThanOrEqual(390);
    expect(result.width).toBe(1080);
  });

  it('500 on submit → retried (nothing was queued), one render made', async () => {
    const before = posts().length;
    const rendersBefore = harness.fake.renders.length;
    harness.fake.inject({ kind: 'http', on: 'submit', status: 503 });
    await harness.renderer().render(request());
    expect(
      posts()
        .slice(before)
        .map((r) => r.status),
    ).toEqual([503, 201]);
    expect(harness.fake.renders.length - rendersBefore).toBe(1);
  });

  it('a submission left unanswered is not retried (Shotstack may have queued it: no double billing)', async () => {
    const before = posts().length;
    harness.fake.inject({ kind: 'hang', on: 'submit' });
    const error = await failure(harness.renderer({ requestTimeoutMs: 300 }).render(request()));
    expect(error).toBeInstanceOf(ShotstackSubmitUncertainError);
    expect(error).toMatchObject({ kind: 'timeout' });
    expect(error.retryable).toBe(false);
    expect(error.fallbackAllowed).toBe(true);
    expect(posts().length - before).toBe(1);
  });

  it('500 on status polls → retried, the render still arrives', async () => {
    harness.fake.inject({ kind: 'http', on: 'status', status: 500, times: 2 });
    const result = await harness.renderer().render(request());
    expect(result.height).toBe(1920);
    expect(harness.fake.requests.filter((r) => r.status === 500)).toHaveLength(2);
  });

  it('a poll that hangs times out and is retried', async () => {
    harness.fake.inject({ kind: 'hang', on: 'status' });
    const result = await harness.renderer({ requestTimeoutMs: 300 }).render(request());
    expect(result.sizeBytes).toBeGreaterThan(0);
    expect(harness.fake.requests.some((r) => r.status === 0)).toBe(true);
  });

  it('a malformed answer → malformed (submit without an id; HTML instead of JSON on a poll)', async () => {
    harness.fake.inject({ kind: 'malformed', on: 'submit' });
    expect(await failure(harness.renderer().render(request()))).toMatchObject({
      kind: 'malformed',
      status: 201,
    });
    harness.fake.inject({ kind: 'malformed', on: 'status' });
    expect(await failure(harness.renderer().render(request()))).toMatchObject({
      kind: 'malformed',
      status: 200,
    });
  });

  it("status failed → ShotstackRenderFailedError with Shotstack's error text, not retryable, fallback allowed", async () => {
    harness.fake.inject({ kind: 'render_failed', error: 'Asset could not be decoded' });
    const uploadsBefore = await uploads();
    const req = request();
    const error = await failure(harness.renderer().render(req));
    expect(error).toBeInstanceOf(ShotstackRenderFailedError);
    expect(error.detail).toBe('Asset could not be decoded');
    expect(error.retryable).toBe(false);
    expect(error.fallbackAllowed).toBe(true);
    await expectNoLeftovers(req.outputPath, uploadsBefore);
  });

  it('an input link that 404s fails the render with the fetch error', async () => {
    // Storage whose overlay link points at a key that does not exist.
    const storage: FileStorage = Object.create(harness.storage) as FileStorage;
    storage.signedUrl = (key, ttl, options) =>
      harness.storage.signedUrl(key.endsWith('overlay.mp4') ? `${key}.missing` : key, ttl, options);
    const error = await failure(harness.renderer({ storage }).render(request()));
    expect(error).toBeInstanceOf(ShotstackRenderFailedError);
    expect(error.detail).toMatch(/Unable to download asset .*HTTP 404/);
  });

  it('a result URL that is gone (404) → not_found', async () => {
    harness.fake.inject({ kind: 'result_404' });
    const uploadsBefore = await uploads();
    const req = request();
    const error = await failure(harness.renderer().render(req));
    expect(error).toMatchObject({ kind: 'not_found', status: 404 });
    await expectNoLeftovers(req.outputPath, uploadsBefore);
  });

  it('gives up at the render deadline → timeout', async () => {
    const error = await failure(harness.renderer({ renderTimeoutMs: 120 }).render(request()));
    expect(error).toMatchObject({ kind: 'timeout' });
    expect(error.message).toMatch(/not done within 120 ms/);
  });

  it('cancellation while polling → cancelled, no file; the inputs stay for a resume of the still-running render', async () => {
    const uploadsBefore = await uploads();
    const controller = new AbortController();
    const req = request({
      signal: controller.signal,
      onSubmitted: () => void setTimeout(() => controller.abort(), 30),
    });
    const error = await failure(harness.renderer({ pollIntervalMs: 1000 }).render(req));
    expect(error).toMatchObject({ kind: 'cancelled' });
    await expectNoLeftovers(req.outputPath, uploadsBefore, true);
  });
});
