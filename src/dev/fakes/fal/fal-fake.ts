import { createHash, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createLogger, type Logger } from '../../../logging/logger.js';
import { editImage, fetchInput, renderTalkingHead } from './fal-fake-media.js';

export type FalRoute = 'submit' | 'status' | 'result' | 'cancel' | 'file';

/**
 * One planned misbehaviour. Request faults hit the next `times` (default 1) requests on `route`
 * (default any route); job faults shape the next `times` submitted jobs.
 */
export type FalFault =
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly route?: FalRoute;
      readonly times?: number;
      readonly retryAfterSec?: number;
      readonly body?: unknown;
    }
  | { readonly kind: 'hang'; readonly route?: FalRoute; readonly times?: number }
  | { readonly kind: 'malformed'; readonly route?: FalRoute; readonly times?: number }
  /** The job completes, and its result is a 422 `content_policy_violation`. */
  | { readonly kind: 'content_policy'; readonly times?: number }
  /** The job never leaves IN_PROGRESS. */
  | { readonly kind: 'stall'; readonly times?: number }
  /** The job completes, but its media URL answers 404 (an expired fal.media file). */
  | { readonly kind: 'result_404'; readonly times?: number };

type JobFault = 'content_policy' | 'stall' | 'result_404';
type State = 'IN_QUEUE' | 'IN_PROGRESS' | 'COMPLETED';

export interface FalFakeJob {
  readonly id: string;
  readonly endpointId: string;
  /** `owner/alias`: what status, result and cancel are addressed by. */
  readonly app: string;
  readonly input: Record<string, unknown>;
  readonly webhookUrl: string | undefined;
  readonly submittedAt: number;
  state: State;
  cancelled: boolean;
  readonly faults: JobFault[];
  readonly logs: Array<{ message: string; level: string; source: 'USER'; timestamp: string }>;
  /** Every input URL the fake fetched, with the status it got: proof the links were reachable. */
  readonly inputFetches: Array<{ url: string; status: number; bytes: number }>;
  result?: { status: number; body: unknown };
  webhookDelivered?: number;
}

export interface FalFakeRequest {
  readonly route: FalRoute | 'unknown';
  readonly method: string;
  readonly path: string;
  readonly requestId?: string;
  status: number;
  fault?: FalFault['kind'];
  readonly at: number;
}

export interface FalFakeOptions {
  /** The accepted key (`Authorization: Key <key>`); default `fake-fal-key`. */
  readonly apiKey?: string;
  /** Delay before every answer. */
  readonly latencyMs?: number;
  /** How long a job waits IN_QUEUE before it starts. */
  readonly queueMs?: number;
  /** At least this long IN_PROGRESS, however fast the rendering is. */
  readonly minProcessingMs?: number;
  /** nano-banana refuses prompts matching this (as well as injected refusals). */
  readonly refusePrompts?: RegExp;
  readonly logger?: Logger;
}

export interface FalFake {
  readonly url: string;
  readonly apiKey: string;
  readonly requests: readonly FalFakeRequest[];
  readonly jobs: ReadonlyMap<string, FalFakeJob>;
  count(route: FalRoute): number;
  inject(fault: FalFault): void;
  clearFaults(): void;
  /** Resolves when the job has its result (or rejects after `timeoutMs`). */
  settled(requestId: string, timeoutMs?: number): Promise<FalFakeJob>;
  stop(): Promise<void>;
}

const supportedEndpoints = new Set([
  'fal-ai/bytedance/omnihuman/v1.5',
  'fal-ai/bytedance/omnihuman',
  'fal-ai/nano-banana/edit',
]);

/**
 * A local fal.ai queue speaking the documented REST protocol: submit by
 * full endpoint id, status/result/cancel by `owner/alias`, IN_QUEUE (with position) → IN_PROGRESS
 * (with logs when asked) → COMPLETED, 202 while running and 200 when done, results with
 * `x-fal-request-id`, 422 `detail[]` errors, webhooks. Jobs do real work: the fake downloads the
 * image and audio URLs it is given (so a link fal could not reach fails here too), renders a real
 * MP4 with the local portrait renderer or tints the image, and serves the result from itself.
 */
export async function startFalFake(options: FalFakeOptions = {}): Promise<FalFake> {
  const apiKey = options.apiKey ?? 'fake-fal-key';
  const logger = options.logger ?? createLogger({ level: 'silent' });
  const workDir = join(tmpdir(), `fal-fake-${randomUUID()}`);
  await mkdir(workDir, { recursive: true });
  const requests: FalFakeRequest[] = [];
  const jobs = new Map<string, FalFakeJob>();
  const work = new Map<string, Promise<void>>();
  const files = new Map<string, { path: string; contentType: string; jobId: string }>();
  const faults: Array<{ fault: FalFault; left: number }> = [];
  const webhookKeys = generateKeyPairSync('ed25519');
  const webhookUserId = 'fake-user';
  const jwks = {
    keys: [
      {
        ...webhookKeys.publicKey.export({ format: 'jwk' }),
        kid: 'fal-fake',
        use: 'sig',
        alg: 'EdDSA',
      },
    ],
  };
  const refuse = options.refusePrompts ?? /\b(nude|naked|nsfw)\b/i;
  let url = '';

  const takeRequestFault = (route: FalRoute): FalFault | undefined => {
    const index = faults.findIndex(
      ({ fault }) =>
        (fault.kind === 'status' || fault.kind === 'hang' || fault.kind === 'malformed') &&
        (fault.route === undefined || fault.route === route),
    );
    return index < 0 ? undefined : consume(index);
  };
  const takeJobFaults = (): JobFault[] => {
    const taken: JobFault[] = [];
    for (const entry of [...faults]) {
      const { kind } = entry.fault;
      if (kind !== 'content_policy' && kind !== 'stall' && kind !== 'result_404') continue;
      taken.push(kind);
      entry.left -= 1;
      if (entry.left <= 0) faults.splice(faults.indexOf(entry), 1);
    }
    return taken;
  };
  function consume(index: number): FalFault {
    const entry = faults[index]!;
    entry.left -= 1;
    if (entry.left <= 0) faults.splice(index, 1);
    return entry.fault;
  }

  const queueUrls = (job: FalFakeJob) => ({
    request_id: job.id,
    response_url: `${url}/${job.app}/requests/${job.id}`,
    status_url: `${url}/${job.app}/requests/${job.id}/status`,
    cancel_url: `${url}/${job.app}/requests/${job.id}/cancel`,
  });

  // The same portrait and speech give the same video; tests submit the same inputs many times.
  const renders = new Map<string, Promise<{ path: string; durationSec: number }>>();
  const renderOnce = async ([imagePath, audioPath]: string[]) => {
    const hash = createHash('sha256');
    for (const path of [imagePath!, audioPath!]) hash.update(await readFile(path));
    const key = hash.digest('hex').slice(0, 24);
    let rendered = renders.get(key);
    if (!rendered) {
      const dir = join(workDir, 'renders', key);
      rendered = mkdir(dir, { recursive: true }).then(() =>
        renderTalkingHead(logger, dir, imagePath!, audioPath!),
      );
      renders.set(key, rendered);
      rendered.catch(() => renders.delete(key));
    }
    return rendered;
  };

  const log = (job: FalFakeJob, message: string) =>
    job.logs.push({ message, level: 'INFO', source: 'USER', timestamp: new Date().toISOString() });

  const serve = (job: FalFakeJob, path: string, contentType: string) => {
    const name = `${randomUUID()}/${basename(path)}`;
    files.set(name, { path, contentType, jobId: job.id });
    return { url: `${url}/files/${name}`, content_type: contentType, file_name: basename(path) };
  };

  const fail422 = (loc: string, msg: string, type: string) => ({
    status: 422,
    body: { detail: [{ loc: ['body', loc], msg, type }] },
  });

  const runJob = async (job: FalFakeJob): Promise<void> => {
    await delay(options.queueMs ?? 100);
    if (job.cancelled) return;
    job.state = 'IN_PROGRESS';
    const startedAt = Date.now();
    log(job, 'Downloading inputs');
    const dir = join(workDir, job.id);
    await mkdir(dir, { recursive: true });
    const fetchAll = async (urls: Array<[string, string]>) => {
      const paths: string[] = [];
      for (const [field, source] of urls) {
        const fetched = await fetchInput(source, join(dir, `${field}-${paths.length}`)).catch(
          () => ({ status: 0, bytes: 0, path: '' }),
        );
        job.inputFetches.push({ url: source, status: fetched.status, bytes: fetched.bytes });
        if (fetched.status !== 200)
          return {
            error: fail422(
              field,
              `Failed to download the file from ${field} (HTTP ${fetched.status || 'unreachable'})`,
              'file_download_error',
            ),
          };
        paths.push(fetched.path);
      }
      return { paths };
    };
    if (job.app === 'fal-ai/nano-banana') {
      const prompt = String(job.input.prompt);
      const fetched = await fetchAll([
        ['image_urls', String((job.input.image_urls as unknown[])[0])],
      ]);
      if ('error' in fetched) job.result = fetched.error;
      else if (job.faults.includes('content_policy') || refuse.test(prompt)) {
        job.result = {
          status: 422,
          body: {
            detail: [
              {
                loc: ['body', 'prompt'],
                msg: 'The prompt was flagged by the content checker.',
                type: 'content_policy_violation',
                ctx: { categories: ['sexual'] },
              },
            ],
          },
        };
      } else {
        log(job, 'Editing image');
        const edited = await editImage(dir, fetched.paths[0]!);
        job.result = {
          status: 200,
          body: {
            images: [
              {
                ...serve(job, edited.path, 'image/png'),
                width: edited.width,
                height: edited.height,
              },
            ],
            description: '',
          },
        };
      }
    } else {
      const fetched = await fetchAll([
        ['image_url', String(job.input.image_url)],
        ['audio_url', String(job.input.audio_url)],
      ]);
      if ('error' in fetched) job.result = fetched.error;
      else {
        log(job, 'Generating video');
        const video = await renderOnce(fetched.paths);
        const { size } = await stat(video.path);
        job.result = {
          status: 200,
          body: {
            video: { ...serve(job, video.path, 'video/mp4'), file_size: size },
            duration: video.durationSec,
          },
        };
      }
    }
    if (job.faults.includes('stall')) return;
    await delay(Math.max(0, (options.minProcessingMs ?? 0) - (Date.now() - startedAt)));
    if (job.cancelled) return;
    log(job, 'Done');
    job.state = 'COMPLETED';
    if (job.webhookUrl) await deliverWebhook(job);
  };

  const deliverWebhook = async (job: FalFakeJob) => {
    const ok = job.result?.status === 200;
    const body = JSON.stringify({
      request_id: job.id,
      gateway_request_id: job.id,
      status: ok ? 'OK' : 'ERROR',
      payload: job.result?.body,
      ...(ok ? {} : { error: `Invalid status code: ${job.result?.status}` }),
    });
    // Signed as fal signs: request id, user id, unix time and the body's
    // SHA-256, one per line, ED25519, hex; the key is published at /.well-known/jwks.json.
    const timestamp = String(Math.floor(Date.now() / 1000));
    const message = [
      job.id,
      webhookUserId,
      timestamp,
      createHash('sha256').update(body).digest('hex'),
    ].join('\n');
    const response = await fetch(job.webhookUrl!, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-fal-webhook-request-id': job.id,
        'x-fal-webhook-user-id': webhookUserId,
        'x-fal-webhook-timestamp': timestamp,
        'x-fal-webhook-signature': sign(
          null,
          Buffer.from(message),
          webhookKeys.privateKey,
        ).toString('hex'),
      },
      body,
      signal: AbortSignal.timeout(15_000),
    }).catch(() => undefined);
    job.webhookDelivered = response?.status ?? 0;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const parsed = new URL(req.url ?? '/', 'http://fake');
    const path = parsed.pathname;
    const method = req.method ?? 'GET';
    const queueCall = /^\/(.+?)\/requests\/([^/]+?)(\/status|\/cancel)?$/.exec(path);
    const fileMatch = /^\/files\/(.+)$/.exec(path);
    const route: FalRoute | 'unknown' =
      fileMatch && method === 'GET'
        ? 'file'
        : queueCall && method === 'GET' && queueCall[3] === '/status'
          ? 'status'
          : queueCall && method === 'GET' && queueCall[3] === undefined
            ? 'result'
            : queueCall && method === 'PUT' && queueCall[3] === '/cancel'
              ? 'cancel'
              : !queueCall && method === 'POST' && path.split('/').filter(Boolean).length >= 2
                ? 'submit'
                : 'unknown';
    const record: FalFakeRequest = {
      route,
      method,
      path,
      at: Date.now(),
      status: 0,
      ...(queueCall ? { requestId: queueCall[2]! } : {}),
    };
    requests.push(record);
    const body = method === 'POST' ? await readBody(req) : '';
    if (options.latencyMs) await delay(options.latencyMs);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      res
        .writeHead(status, { 'content-type': 'application/json', ...headers })
        .end(JSON.stringify(payload));
    };
    if (route === 'unknown') {
      if (path === '/.well-known/jwks.json' && method === 'GET') return send(200, jwks);
      return send(404, { detail: 'Not Found' });
    }
    const fault = takeRequestFault(route);
    if (fault) {
      record.fault = fault.kind;
      if (fault.kind === 'hang') return;
      if (fault.kind === 'malformed') {
        record.status = 200;
        res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<html><body>upstream connect error</body></html>');
        return;
      }
      if (fault.kind === 'status') {
        return send(
          fault.status,
          fault.body ?? defaultErrorBody(fault.status),
          fault.retryAfterSec !== undefined ? { 'retry-after': String(fault.retryAfterSec) } : {},
        );
      }
    }
    if (route === 'file') {
      const file = files.get(fileMatch![1]!);
      const job = file ? jobs.get(file.jobId) : undefined;
      if (!file || job?.faults.includes('result_404')) {
        record.status = 404;
        res
          .writeHead(404, { 'content-type': 'application/xml' })
          .end('<Error><Code>NoSuchKey</Code></Error>');
        return;
      }
      const { size } = await stat(file.path);
      record.status = 200;
      res.writeHead(200, { 'content-type': file.contentType, 'content-length': String(size) });
      createReadStream(file.path).pipe(res);
      return;
    }
    if (req.headers.authorization !== `Key ${apiKey}`) {
      return send(401, {
        detail: req.headers.authorization ? 'Invalid key' : 'Missing Authorization header',
      });
    }
    if (route === 'submit') {
      const endpointId = path.replace(/^\/+|\/+$/g, '');
      if (!supportedEndpoints.has(endpointId))
        return send(404, { detail: `Application '${endpointId}' not found` });
      let input: Record<string, unknown>;
      try {
        input = JSON.parse(body || '{}') as Record<string, unknown>;
      } catch {
        return send(422, {
          detail: [{ loc: ['body'], msg: 'Invalid JSON', type: 'value_error.jsondecode' }],
        });
      }
      const missing = requiredFields(endpointId).filter((field) => !isPresent(input[field]));
      if (missing.length > 0) {
        return send(422, {
          detail: missing.map((field) => ({
            loc: ['body', field],
            msg: 'field required',
            type: 'missing',
          })),
        });
      }
      const id = randomUUID();
      const job: FalFakeJob = {
        id,
        endpointId,
        app: endpointId.split('/').slice(0, 2).join('/'),
        input,
        webhookUrl: parsed.searchParams.get('fal_webhook') ?? undefined,
        submittedAt: Date.now(),
        state: 'IN_QUEUE',
        cancelled: false,
        faults: takeJobFaults(),
        logs: [],
        inputFetches: [],
      };
      jobs.set(id, job);
      const running = runJob(job).catch((error: unknown) => {
        logger.error({ err: error, requestId: id }, 'fal fake job failed');
        job.result = {
          status: 500,
          body: { detail: 'Internal error in the fake model', error_type: 'runner_disconnected' },
        };
        job.state = 'COMPLETED';
      });
      work.set(id, running);
      return send(200, {
        status: 'IN_QUEUE',
        ...queueUrls(job),
        queue_position: queuePosition(job),
        ...(job.webhookUrl ? { gateway_request_id: id } : {}),
      });
    }
    const job = jobs.get(queueCall![2]!);
    if (!job || job.app !== queueCall![1]) return send(404, { detail: 'Request not found' });
    if (route === 'status') {
      const withLogs = parsed.searchParams.get('logs') === '1';
      if (job.state === 'IN_QUEUE')
        return send(202, {
          status: 'IN_QUEUE',
          ...queueUrls(job),
          queue_position: queuePosition(job),
        });
      if (job.state === 'IN_PROGRESS')
        return send(202, {
          status: 'IN_PROGRESS',
          ...queueUrls(job),
          logs: withLogs ? job.logs : null,
        });
      return send(200, {
        status: 'COMPLETED',
        ...queueUrls(job),
        logs: withLogs ? job.logs : null,
        metrics: { inference_time: (Date.now() - job.submittedAt) / 1000 },
      });
    }
    if (route === 'cancel') {
      if (job.state === 'COMPLETED') return send(400, { status: 'ALREADY_COMPLETED' });
      job.cancelled = true;
      job.state = 'COMPLETED';
      job.result = { status: 400, body: { detail: 'Request was cancelled' } };
      return send(202, { status: 'CANCELLATION_REQUESTED' });
    }
    // route === 'result'
    if (job.state !== 'COMPLETED' || !job.result)
      return send(400, { detail: 'Request is still in progress' });
    return send(job.result.status, job.result.body, { 'x-fal-request-id': job.id });
  };

  const queuePosition = (job: FalFakeJob) =>
    [...jobs.values()].filter(
      (other) => other.state === 'IN_QUEUE' && other.submittedAt < job.submittedAt,
    ).length;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error({ err: error }, 'fal fake failed');
      if (!res.headersSent)
        res
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify({ detail: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    apiKey,
    requests,
    jobs,
    count: (route) => requests.filter((request) => request.route === route).length,
    inject: (fault) => faults.push({ fault, left: fault.times ?? 1 }),
    clearFaults: () => faults.splice(0),
    async settled(requestId, timeoutMs = 20_000) {
      const running = work.get(requestId);
      if (!running) throw new Error(`no job ${requestId}`);
      await Promise.race([
        running,
        delay(timeoutMs).then(() =>
          Promise.reject(new Error(`job ${requestId} did not settle in ${timeoutMs} ms`)),
        ),
      ]);
      return jobs.get(requestId)!;
    },
    async stop() {
      for (const job of jobs.values()) job.cancelled = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled(work.values());
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

function requiredFields(endpointId: string): string[] {
  return endpointId === 'fal-ai/nano-banana/edit'
    ? ['prompt', 'image_urls']
    : ['image_url', 'audio_url'];
}

function isPresent(value: unknown): boolean {
  if (Array.isArray(value))
    return value.length > 0 && value.every((item) => typeof item === 'string' && item !== '');
  return typeof value === 'string' && value !== '';
}

function defaultErrorBody(status: number): unknown {
  if (status === 401 || status === 403) return { detail: 'Invalid key' };
  if (status === 422)
    return {
      detail: [
        { loc: ['body', 'image_url'], msg: 'Unsupported image format', type: 'value_error' },
      ],
    };
  if (status === 429) return { detail: 'Too many concurrent requests', error_type: 'rate_limited' };
  if (status === 503 || status === 504)
    return { detail: 'Request timed out', error_type: 'request_timeout' };
  return { detail: 'Internal Server Error' };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
