import { access, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LocalFileStorage } from '../local/storage/local-file-storage.js';
import {
  makeClip,
  quietLogger,
  requireMediaTools,
  tempDir,
} from '../../testing/media/media-fixtures.js';
import { createProviderPolicy, ProviderError } from '../provider-calls/index.js';
import { ModalOverlayClient } from './modal-overlay-client.js';
import { createModalOverlay } from './create-modal-overlay.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

interface Hit {
  readonly method: string;
  readonly path: string;
  readonly body: string;
  readonly authorization: string | undefined;
}

/** A tiny fault-injecting stand-in for the overlay service: each route answers from a script. */
async function fakeService(
  routes: Record<string, Handler[]>,
): Promise<{ url: string; hits: Hit[]; server: Server }> {
  const hits: Hit[] = [];
  const counts = new Map<string, number>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      hits.push({ method: req.method ?? '', path, body, authorization: req.headers.authorization });
      const key = `${req.method} ${path.replace(/\/jobs\/[^/]+/, '/jobs/:id')}`;
      const script = routes[key];
      if (!script) return void res.writeHead(599).end();
      const n = counts.get(key) ?? 0;
      counts.set(key, n + 1);
      script[Math.min(n, script.length - 1)]!(req, res, body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, server };
}

const json =
  (status: number, body: unknown): Handler =>
  (_req, res) =>
    void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const hang: Handler = () => undefined;
const done = {
  status: 'done',
  result: {
    frames: 30,
    fps: 15,
    seconds: 2,
    width: 320,
    height: 180,
    bytes: 1,
    processing_seconds: 4,
  },
};

const servers: Server[] = [];
let dir: string;
let storage: LocalFileStorage;
let head: string;
let mp4: Buffer;
let outputs = 0;

beforeAll(async () => {
  const tools = await requireMediaTools();
  dir = await tempDir('modal-client');
  head = await makeClip(tools, join(dir, 'head.mp4'), { seconds: 1, width: 320, height: 180 });
  mp4 = await readFile(head);
  storage = new LocalFileStorage({
    rootDir: join(dir, 'storage'),
    publicBaseUrl: 'http://127.0.0.1:9',
    signingSecret: 'x'.repeat(32),
    logger: quietLogger,
  });
});
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise((resolve) => {
          server.closeAllConnections();
          server.close(resolve);
        }),
    ),
  );
});

const video: Handler = (_req, res) =>
  void res
    .writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(mp4.length) })
    .end(mp4);

function client(
  url: string,
  extra: Partial<ConstructorParameters<typeof ModalOverlayClient>[0]> = {},
) {
  return new ModalOverlayClient({
    endpoint: `${url}/`,
    token: 'tok-123',
    storage,
    log: quietLogger,
    pollIntervalMs: 10,
    requestTimeoutMs: 2000,
    policy: createProviderPolicy({
      provider: 'modal',
      maxAttempts: 2,
      baseDelayMs: 1,
      breakAfter: 100,
    }),
    ...extra,
  });
}

const request = (extra: Record<string, unknown> = {}) => ({
  talkingHeadPath: head,
  shape: 'circle' as const,
  mode: 'greenscreen' as const,
  outputPath: join(dir, `out-${(outputs += 1)}.mp4`),
  ...extra,
});

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('ModalOverlayClient on a fault-injecting fake', () => {
  it('uploads the head, submits its signed URL, reports the call id before polling, streams the result', async () => {
    const events: string[] = [];
    const fake = await fakeService({
      'POST /jobs': [json(202, { call_id: 'fc-1' })],
      'GET /jobs/:id': [
        (req, res, body) => {
          events.push('poll');
          json(202, { status: 'pending' })(req, res, body);
        },
        json(503, { detail: 'busy' }),
        json(200, done),
      ],
      'GET /jobs/:id/result': [video],
    });
    const req = request({ onSubmitted: (id: string) => void events.push(`submitted ${id}`) });
    const result = await client(fake.url).makeMatte(req);
    expect(events.slice(0, 2)).toEqual(['submitted fc-1', 'poll']);
    expect(result).toMatchObject({
      path: req.outputPath,
      mode: 'greenscreen',
      width: 320,
      height: 180,
      provider: 'modal',
      sizeBytes: mp4.length,
    });
    expect(result.frames).toBe(30);
    expect(result.costUsd).toBeCloseTo(4 * 0.000306, 6);
    expect(await readFile(req.outputPath)).toEqual(mp4);
    const submitted = JSON.parse(fake.hits.find((hit) => hit.method === 'POST')!.body) as Record<
      string,
      string
    >;
    expect(submitted).toMatchObject({ shape: 'circle', mode: 'greenscreen' });
    expect(submitted.input_url).toMatch(/^http:\/\/127\.0\.0\.1:9\/files\//);
    expect(fake.hits.every((hit) => hit.authorization === 'Bearer tok-123')).toBe(true);
    // pending, 503 (retried by the policy), done
    expect(
      fake.hits.filter((hit) => hit.method === 'GET' && hit.path === '/jobs/fc-1'),
    ).toHaveLength(3);
    expect(await storage.list('tmp/overlay/')).toEqual([]); // the upload is removed once done
  });

  it('resumes a call id by polling only: no upload, no second submission', async () => {
    const fake = await fakeService({
      'GET /jobs/:id': [json(200, done)],
      'GET /jobs/:id/result': [video],
    });
    const submitted: string[] = [];
    const result = await client(fake.url).makeMatte(
      request({ resumeRequestId: 'fc-old', onSubmitted: (id: string) => void submitted.push(id) }),
    );
    expect(result.sizeBytes).toBe(mp4.length);
    expect(fake.hits.map((hit) => `${hit.method} ${hit.path}`)).toEqual([
      'GET /jobs/fc-old',
      'GET /jobs/fc-old/result',
    ]);
    expect(submitted).toEqual([]);
  });

  it('401 is an auth error, not retried', async () => {
    const fake = await fakeService({ 'POST /jobs': [json(401, { detail: 'unauthorized' })] });
    const error = await failure(client(fake.url).makeMatte(request()));
    expect(error.kind).toBe('auth');
    expect(error.fallbackAllowed).toBe(true);
    expect(fake.hits).toHaveLength(1);
  });

  it('a failed job is a server error with the service reason, asked once', async () => {
    const fake = await fakeService({
      'POST /jobs': [json(202, { call_id: 'fc-2' })],
      'GET /jobs/:id': [
        json(500, { status: 'failed', error: 'MediaError: input is not a readable video' }),
      ],
    });
    const req = request();
    const error = await failure(client(fake.url).makeMatte(req));
    expect(error).toMatchObject({
      kind: 'server',
      status: 500,
      detail: 'MediaError: input is not a readable video',
    });
    expect(error.message).toContain('input is not a readable video');
    expect(fake.hits.filter((hit) => hit.path === '/jobs/fc-2')).toHaveLength(1);
    await expect(access(req.outputPath)).rejects.toThrow();
    expect(await storage.list('tmp/overlay/')).toEqual([]); // final: nothing left to resume
  });

  it('a job whose id could not be recorded is cancelled; a transient failure keeps the upload for a resume', async () => {
    const fake = await fakeService({
      'POST /jobs': [json(202, { call_id: 'fc-12' })],
      'DELETE /jobs/:id': [json(202, {})],
    });
    const recordFailed = client(fake.url).makeMatte(
      request({ onSubmitted: () => Promise.reject(new Error('event store down')) }),
    );
    await expect(recordFailed).rejects.toThrow('event store down');
    expect(fake.hits.map((hit) => `${hit.method} ${hit.path}`)).toEqual([
      'POST /jobs',
      'DELETE /jobs/fc-12',
    ]);
    expect(await storage.list('tmp/overlay/')).toEqual([]);

    const flaky = await fakeService({
      'POST /jobs': [json(202, { call_id: 'fc-13' })],
      'GET /jobs/:id': [json(503, { detail: 'busy' })],
    });
    const error = await failure(client(flaky.url).makeMatte(request()));
    expect(error).toMatchObject({ kind: 'server', status: 503 });
    expect(flaky.hits.some((hit) => hit.method === 'DELETE')).toBe(false);
    const kept = await storage.list('tmp/overlay/');
    expect(kept).toHaveLength(1);
    await storage.delete(kept[0]!.key);
  });

  it('an expired call id is not_found', async () => {
    const fake = await fakeService({ 'GET /jobs/:id': [json(404, { status: 'expired' })] });
    const error = await failure(
      client(fake.url).makeMatte(request({ resumeRequestId: 'fc-gone' })),
    );
    expect(error.kind).toBe('not_found');
  });

  it('a status request that hangs times out (retried once), and the job is cancelled', async () => {
    const fake = await fakeService({
      'POST /jobs': [json(202, { call_id: 'fc-3' })],
      'GET /jobs/:id': [hang],
      'DELETE /jobs/:id': [json(202, { status: 'cancelling' })],
    });
    const started = Date.now();
    const error = await failure(client(fake.url, { requestTimeoutMs: 150 }).makeMatte(request()));
    expect(error.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(fake.hits.filter((hit) => hit.method === 'GET')).toHaveLength(2);
    expect(fake.hits.at(-1)).toMatchObject({ method: 'DELETE', path: '/jobs/fc-3' });
  });

  it('a job still pending past the overall timeout is a timeout, and is cancelled', async () => {
    const fake = await fakeService({
      'POST /jobs': [json(202, { call_id: 'fc-4' })],
      'GET /jobs/:id': [json(202, { status: 'pending' })],
      'DELETE /jobs/:id': [json(202, {})],
    });
    const error = await failure(client(fake.url, { timeoutMs: 200 }).makeMatte(request()));
    expect(error.kind).toBe('timeout');
    expect(fake.hits.filter((hit) => hit.method === 'GET').length).toBeGreaterThan(2);
    expect(fake.hits.at(-1)).toMatchObject({ method: 'DELETE', path: '/jobs/fc-4' });
  });

  it('bodies that do not match the contract are malformed', async () => {
    const noId = await fakeService({ 'POST /jobs': [json(202, { id: 'fc-5' })] });
    expect((await failure(client(noId.url).makeMatte(request()))).kind).toBe('malformed');
    const noResult = await fakeService({ 'GET /jobs/:id': [json(200, { status: 'done' })] });
    expect(
      (await failure(client(noResult.url).makeMatte(request({ resumeRequestId: 'fc-6' })))).kind,
    ).toBe('malformed');
    const notVideo = await fakeService({
      'GET /jobs/:id': [json(200, done)],
      'GET /jobs/:id/result': [json(200, { not: 'a video' })],
    });
    const req = request({ resumeRequestId: 'fc-7' });
    expect((await failure(client(notVideo.url).makeMatte(req))).kind).toBe('malformed');
    await expect(access(req.outputPath)).rejects.toThrow();
    const garbage: Handler = (_req, res) =>
      void res
        .writeHead(200, { 'content-type': 'video/mp4' })
        .end(Buffer.from('definitely not an mp4 file'));
    const unreadable = await fakeService({
      'GET /jobs/:id': [json(200, done)],
      'GET /jobs/:id/result': [garbage],
    });
    expect(
      (await failure(client(unreadable.url).makeMatte(request({ resumeRequestId: 'fc-8' })))).kind,
    ).toBe('malformed');
  });

  it('a result that is gone (404) is not_found and leaves no file', async () => {
    const fake = await fakeService({
      'GET /jobs/:id': [json(200, done)],
      'GET /jobs/:id/result': [json(404, { status: 'expired' })],
    });
    const req = request({ resumeRequestId: 'fc-9' });
    expect((await failure(client(fake.url).makeMatte(req))).kind).toBe('not_found');
    await expect(access(req.outputPath)).rejects.toThrow();
  });

  it('cancelling while it polls sends DELETE and rejects as cancelled', async () => {
    const controller = new AbortController();
    const fake = await fakeService({
      'POST /jobs': [json(202, { call_id: 'fc-10' })],
      'GET /jobs/:id': [
        (req, res, body) => {
          controller.abort();
          json(202, { status: 'pending' })(req, res, body);
        },
      ],
      'DELETE /jobs/:id': [json(202, { status: 'cancelling' })],
    });
    const req = request({ signal: controller.signal });
    const error = await failure(client(fake.url, { pollIntervalMs: 5000 }).makeMatte(req));
    expect(error.kind).toBe('cancelled');
    expect(fake.hits.at(-1)).toMatchObject({
      method: 'DELETE',
      path: '/jobs/fc-10',
      authorization: 'Bearer tok-123',
    });
    await expect(access(req.outputPath)).rejects.toThrow();
  });

  it('createModalOverlay needs an endpoint, and takes the token and poll interval from config', async () => {
    expect(
      createModalOverlay({
        config: {
          MODAL_OVERLAY_ENDPOINT: undefined,
          MODAL_OVERLAY_TOKEN: undefined,
          MODAL_POLL_INTERVAL_MS: 5000,
        },
        storage,
      }),
    ).toBeUndefined();
    const fake = await fakeService({
      'GET /jobs/:id': [json(202, { status: 'pending' }), json(200, done)],
      'GET /jobs/:id/result': [video],
    });
    const made = createModalOverlay({
      config: {
        MODAL_OVERLAY_ENDPOINT: fake.url,
        MODAL_OVERLAY_TOKEN: 'from-env',
        MODAL_POLL_INTERVAL_MS: 5000,
      },
      storage,
      log: quietLogger,
      pollIntervalMs: 20,
    });
    expect(made?.provider).toBe('modal');
    await made!.makeMatte(request({ resumeRequestId: 'fc-11' }));
    expect(fake.hits[0]?.authorization).toBe('Bearer from-env');
  });
});
