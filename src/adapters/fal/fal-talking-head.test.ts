import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFalFake, type FalFake } from '../../dev/fakes/fal/fal-fake.js';
import { createLogger } from '../../logging/logger.js';
import { WorkInterruptedError } from '../../pipeline/pipeline-errors.js';
import { runBinary } from '../local/binaries/run-binary.js';
import { FfprobeMediaProbe } from '../local/probe/ffprobe-probe.js';
import { requireMediaTools } from '../../testing/media/media-fixtures.js';
import { ProviderError } from '../provider-calls/index.js';
import { createFalHttpClient } from './fal-http.js';
import { omniHumanUsdPerSecond } from './fal-pricing.js';
import {
  createFalTalkingHead,
  FalTalkingHeadRenderer,
  type FalTalkingHeadOptions,
} from './fal-talking-head.js';
import { startPublicStorage, type PublicStorage } from '../../testing/fal/public-storage.js';
import { makeTalkingHeadInputs } from '../../testing/fal/talking-head-inputs.js';

const log = createLogger({ level: 'silent' });
const probe = new FfprobeMediaProbe({ logger: log });
let fake: FalFake;
let publicStorage: PublicStorage;
let dir: string;
let inputs: { imagePath: string; audioPath: string };
let n = 0;

beforeAll(async () => {
  [fake, publicStorage, dir] = await Promise.all([
    startFalFake({ queueMs: 30 }),
    startPublicStorage(),
    mkdtemp(join(tmpdir(), 'fal-th-test-')),
  ]);
  inputs = await makeTalkingHeadInputs(dir);
});

afterAll(async () => {
  await Promise.all([fake?.stop(), publicStorage?.stop()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

afterEach(() => fake.clearFaults());

function renderer(
  options: Partial<FalTalkingHeadOptions> & { requestTimeoutMs?: number; token?: string } = {},
) {
  return new FalTalkingHeadRenderer({
    client: createFalHttpClient({
      provider: 'fal-omnihuman',
      credentials: options.token ?? fake.apiKey,
      queueUrl: fake.url,
      requestTimeoutMs: options.requestTimeoutMs ?? 3000,
    }),
    storage: publicStorage.storage,
    probe,
    log,
    pollIntervalMs: 40,
    policy: { baseDelayMs: 5, random: () => 0 },
    ...options,
  });
}

const request = () => ({ ...inputs, outputPath: join(dir, `out-${(n += 1)}`, 'talking-head.mp4') });

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

function counted<T>(work: () => Promise<T>) {
  const before = {
    submit: fake.count('submit'),
    status: fake.count('status'),
    result: fake.count('result'),
    cancel: fake.count('cancel'),
    jobs: fake.jobs.size,
  };
  return work().then(
    (value) => ({ value, delta: deltas(before) }),
    (error: unknown) => Promise.reject(Object.assign(error as object, { delta: deltas(before) })),
  );
}
const deltas = (before: Record<string, number>) => ({
  submit: fake.count('submit') - before.submit!,
  status: fake.count('status') - before.status!,
  result: fake.count('result') - before.result!,
  cancel: fake.count('cancel') - before.cancel!,
  jobs: fake.jobs.size - before.jobs!,
});

describe('FalTalkingHeadRenderer against the fal fake', () => {
  it('hands fal presigned links to our storage, stores the request id before waiting, and returns a lip-synced video with its cost', async () => {
    // What fal had been asked about this request when its id reached onSubmitted: nothing yet.
    const askedAtSubmit: string[][] = [];
    let requestId = '';
    const result = await renderer({ resolution: '720p', turbo: true }).render({
      ...request(),
      onSubmitted: (id) => {
        requestId = id;
        askedAtSubmit.push(fake.requests.filter((r) => r.requestId === id).map((r) => r.route));
      },
    });
    expect(askedAtSubmit).toEqual([[]]);
    const job = fake.jobs.get(requestId)!;
    expect(fake.requests.filter((r) => r.requestId === requestId).map((r) => r.route)).toContain(
      'result',
    );
    expect(job.endpointId).toBe('fal-ai/bytedance/omnihuman/v1.5');
    expect(job.input).toMatchObject({ resolution: '720p', turbo_mode: true });
    for (const field of ['image_url', 'audio_url']) {
      expect(String(job.input[field])).toMatch(new RegExp(`^${publicStorage.url}/files/`));
      expect(String(job.input[field])).not.toMatch(/telegram/);
    }
    expect(job.inputFetches.map((fetch) => fetch.status)).toEqual([200, 200]);
    expect(job.inputFetches.every((fetch) => fetch.bytes > 1000)).toBe(true);
    expect(result).toMatchObject({
      provider: 'fal-omnihuman',
      lipSync: true,
      width: 1080,
      height: 1920,
    });
    const reported = (job.result!.body as { duration: number }).duration;
    expect(result.costUsd).toBeCloseTo(reported * omniHumanUsdPerSecond, 3);
    // Inputs live under tmp/, which the cleanup job sweeps.
    expect((await publicStorage.storage.list('tmp/fal-inputs/')).length).toBeGreaterThanOrEqual(2);
  });

  it('maps a refused key to auth without retrying or storing a request id', async () => {
    const ids: string[] = [];
    const error = await failure(
      counted(() =>
        renderer({ token: 'wrong' }).render({
          ...request(),
          onSubmitted: (id) => void ids.push(id),
        }),
      ),
    );
    expect(error.kind).toBe('auth');
    expect((error as unknown as { delta: { submit: number } }).delta.submit).toBe(1);
    expect(ids).toEqual([]);
  });

  it('does not retry a 422 at submit', async () => {
    fake.inject({ kind: 'status', status: 422, route: 'submit', times: 3 });
    const error = await failure(counted(() => renderer().render(request())));
    expect(error.kind).toBe('invalid_request');
    expect(error.detail).toMatch(/image_url/);
    expect((error as unknown as { delta: { submit: number } }).delta.submit).toBe(1);
  });

  it('retries a 429 at submit after its retry-after, creating one job only', async () => {
    fake.inject({ kind: 'status', status: 429, route: 'submit', retryAfterSec: 0.3 });
    const started = Date.now();
    const { delta } = await counted(() => renderer().render(request()));
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(delta).toMatchObject({ submit: 2, jobs: 1 });
  });

  it('rides out 500s and a hanging status poll, without submitting again', async () => {
    fake.inject({ kind: 'status', status: 500, route: 'status', times: 2 });
    fake.inject({ kind: 'hang', route: 'status' });
    const { value, delta } = await counted(() =>
      renderer({ requestTimeoutMs: 1000 }).render(request()),
    );
    expect(value.lipSync).toBe(true);
    expect(delta.submit).toBe(1);
    expect(delta.status).toBeGreaterThanOrEqual(4);
  });

  it('gives up on a job that never finishes at the overall deadline and cancels it at fal', async () => {
    fake.inject({ kind: 'stall' });
    let requestId = '';
    const error = await failure(
      counted(() =>
        renderer({ timeoutMs: 800 }).render({
          ...request(),
          onSubmitted: (id) => void (requestId = id),
        }),
      ),
    );
    expect(error.kind).toBe('timeout');
    expect((error as unknown as { delta: { cancel: number } }).delta.cancel).toBe(1);
    expect(fake.jobs.get(requestId)!.cancelled).toBe(true);
  });

  it('rejects a status body that is not JSON as malformed', async () => {
    fake.inject({ kind: 'malformed', route: 'status' });
    expect((await failure(renderer().render(request()))).kind).toBe('malformed');
  });

  it('reports a result video that is gone (404) as not_found, having paid once', async () => {
    fake.inject({ kind: 'result_404' });
    const error = await failure(counted(() => renderer().render(request())));
    expect(error.kind).toBe('not_found');
    expect((error as unknown as { delta: { submit: number } }).delta.submit).toBe(1);
  });

  it('opens the circuit after repeated failures and then fails without calling fal', async () => {
    fake.inject({ kind: 'status', status: 503, route: 'submit', times: 10 });
    const th = renderer({
      policy: { maxAttempts: 1, breakAfter: 2, halfOpenAfterMs: 60_000, baseDelayMs: 5 },
    });
    expect((await failure(th.render(request()))).kind).toBe('timeout');
    expect((await failure(th.render(request()))).kind).toBe('timeout');
    expect(th.circuit).toBe('open');
    const error = await failure(counted(() => th.render(request())));
    expect(error.kind).toBe('unavailable');
    expect((error as unknown as { delta: { submit: number } }).delta.submit).toBe(0);
  });

  it('after a crash past onSubmitted, a new renderer resumes the stored request id and fal is paid once', async () => {
    const controller = new AbortController();
    let stored = '';
    const interrupted = new WorkInterruptedError('stopping');
    const before = { submit: fake.count('submit'), cancel: fake.count('cancel') };
    const crash = await failure(
      renderer().render({
        ...request(),
        signal: controller.signal,
        onSubmitted: (id) => {
          stored = id;
          controller.abort(interrupted);
        },
      }),
    );
    expect(crash.kind).toBe('cancelled');
    expect(stored).not.toBe('');
    expect(fake.count('cancel')).toBe(before.cancel);
    const resumedIds: string[] = [];
    const result = await renderer().render({
      ...request(),
      resumeRequestId: stored,
      onSubmitted: (id) => void resumedIds.push(id),
    });
    expect(result.lipSync).toBe(true);
    expect(resumedIds).toEqual([]);
    expect(fake.count('submit') - before.submit).toBe(1);
    expect(fake.requests.filter((r) => r.route === 'result').at(-1)!.requestId).toBe(stored);
  });

  it('cancels the fal request when the caller really cancels', async () => {
    const controller = new AbortController();
    let stored = '';
    const error = await failure(
      renderer().render({
        ...request(),
        signal: controller.signal,
        onSubmitted: (id) => {
          stored = id;
          controller.abort(new Error('user cancelled'));
        },
      }),
    );
    expect(error.kind).toBe('cancelled');
    expect(fake.jobs.get(stored)!.cancelled).toBe(true);
  });

  it('says not_found when asked to resume a request fal does not know', async () => {
    expect(
      (await failure(renderer().render({ ...request(), resumeRequestId: 'no-such-request' }))).kind,
    ).toBe('not_found');
  });

  it('passes FALAI_WEBHOOK_URL through, and fal calls it with the result', async () => {
    const deliveries: unknown[] = [];
    const signatures: boolean[] = [];
    const jwks = (await (await fetch(`${fake.url}/.well-known/jwks.json`)).json()) as {
      keys: import('node:crypto').JsonWebKey[];
    };
    const publicKey = createPublicKey({ key: jwks.keys[0]!, format: 'jwk' });
    const receiver: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const header = (name: string) => String(req.headers[name]);
        const message = [
          header('x-fal-webhook-request-id'),
          header('x-fal-webhook-user-id'),
          header('x-fal-webhook-timestamp'),
          createHash('sha256').update(raw).digest('hex'),
        ].join('\n');
        signatures.push(
          verify(
            null,
            Buffer.from(message),
            publicKey,
            Buffer.from(header('x-fal-webhook-signature'), 'hex'),
          ),
        );
        deliveries.push(JSON.parse(raw.toString('utf8')));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/fal/webhook`;
      let requestId = '';
      await renderer({ webhookUrl }).render({
        ...request(),
        onSubmitted: (id) => void (requestId = id),
      });
      expect(fake.jobs.get(requestId)!.webhookUrl).toBe(webhookUrl);
      await expect.poll(() => deliveries.length).toBe(1);
      expect(deliveries[0]).toMatchObject({
        request_id: requestId,
        status: 'OK',
        payload: { video: { content_type: 'video/mp4' } },
      });
      expect(signatures).toEqual([true]);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it('refuses audio longer than OmniHuman takes at 1080p before paying for anything', async () => {
    const tools = await requireMediaTools();
    const longAudio = join(dir, 'long.wav');
    await runBinary(tools.ffmpeg, [
      '-nostdin',
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'anullsrc=r=8000:cl=mono',
      '-t',
      '31',
      longAudio,
    ]);
    const error = await failure(
      counted(() =>
        renderer({ resolution: '1080p' }).render({ ...request(), audioPath: longAudio }),
      ),
    );
    expect(error.kind).toBe('invalid_request');
    expect((error as unknown as { delta: { submit: number } }).delta.submit).toBe(0);
  });
});

describe('createFalTalkingHead', () => {
  it('makes nothing without a token, and takes the resolution, turbo and queue URL from the config', async () => {
    const config = {
      FALAI_QUEUE_URL: fake.url,
      FALAI_WEBHOOK_URL: undefined,
      OMNIHUMAN_RESOLUTION: '720p',
      OMNIHUMAN_TURBO: true,
      FALAI_TIMEOUT_MINUTES: 15,
    } as const;
    expect(
      createFalTalkingHead({
        config: { ...config, FALAI_API_TOKEN: undefined },
        storage: publicStorage.storage,
        probe,
        log,
      }),
    ).toBeUndefined();
    let requestId = '';
    const th = createFalTalkingHead({
      config: { ...config, FALAI_API_TOKEN: fake.apiKey },
      storage: publicStorage.storage,
      probe,
      log,
      pollIntervalMs: 40,
    })!;
    await th.render({ ...request(), onSubmitted: (id) => void (requestId = id) });
    expect(fake.jobs.get(requestId)!.input).toMatchObject({ resolution: '720p', turbo_mode: true });
  });
});
