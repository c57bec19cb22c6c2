import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { setTimeout as sleep } from 'node:timers/promises';
import { sharedExecutable } from '../../../adapters/local/binaries/media-binaries.js';
import { FfprobeMediaProbe } from '../../../adapters/local/probe/ffprobe-probe.js';
import { createLogger, type Logger } from '../../../logging/logger.js';
import { renderEdit } from './edit-renderer.js';
import { editSchema, type FakeEdit } from './edit-schema.js';

export type FakeStage = 'stage' | 'v1';
/**
 * Every status of the OAS `RenderResponseData.status`; the spec-conformance test checks the fake
 * shows each.
 */
export type FakeRenderStatus =
  'queued' | 'fetching' | 'preprocessing' | 'rendering' | 'saving' | 'done' | 'failed';
const progression: readonly FakeRenderStatus[] = [
  'queued',
  'fetching',
  'preprocessing',
  'rendering',
  'saving',
  'done',
];

/** Shotstack preprocesses video assets "for compatibility"; an edit without any skips that step. */
function stepsOf(edit: FakeEdit): readonly FakeRenderStatus[] {
  const hasVideo = edit.timeline.tracks.some((track) =>
    track.clips.some((clip) => clip.asset.type === 'video' || clip.asset.type === 'luma'),
  );
  return hasVideo ? progression : progression.filter((status) => status !== 'preprocessing');
}

/** Where a fault strikes: the render submission, a status poll, or the download of the result. */
export type FaultTarget = 'submit' | 'status' | 'download';

export type ShotstackFault =
  | {
      readonly kind: 'http';
      readonly on: FaultTarget;
      readonly status: number;
      readonly body?: unknown;
      readonly retryAfterSec?: number;
      readonly times?: number;
    }
  | { readonly kind: 'hang'; readonly on: FaultTarget; readonly times?: number }
  | { readonly kind: 'malformed'; readonly on: 'submit' | 'status'; readonly times?: number }
  /** The next render ends with status `failed` and this `error`. */
  | { readonly kind: 'render_failed'; readonly error: string; readonly times?: number }
  /** The next render is done, but its `url` answers 404 (as after Shotstack's 24 h). */
  | { readonly kind: 'result_404'; readonly times?: number }
  /**
   * The next render's first `polls` status requests answer 404, as while a new render id is still
   * propagating to the status endpoint (seen by integrators in the first seconds after submission).
   */
  | { readonly kind: 'not_yet_visible'; readonly polls: number; readonly times?: number }
  /** The next `times` status polls show this status, one the definition does not list (yet). */
  | { readonly kind: 'unlisted_status'; readonly status: string; readonly times?: number };

export interface FakeRender {
  readonly id: string;
  readonly stage: FakeStage;
  readonly edit: FakeEdit;
  status: FakeRenderStatus;
  /** The status the API has shown so far: it moves one step per poll, never ahead of the work. */
  shown: FakeRenderStatus;
  /** The statuses this render passes through, in order. */
  readonly steps: readonly FakeRenderStatus[];
  /** Status polls still to be answered 404 (`not_yet_visible`). */
  invisiblePolls: number;
  /** Every status a poll was answered with, in order (404s left out). */
  readonly answered: string[];
  error?: string;
  fetched: string[];
  outputPath?: string;
  durationSec?: number;
  renderTimeMs?: number;
  polls: number;
  readonly created: string;
  updated: string;
  resultGone: boolean;
}

export interface ShotstackFakeOptions {
  /** The `x-api-key` each stage accepts; a stage without a key refuses every call. */
  readonly apiKeys?: Partial<Record<FakeStage, string>>;
  /** Time a render waits in the queue before its work starts. */
  readonly queueLatencyMs?: number;
  /** Delay before every API answer. */
  readonly responseDelayMs?: number;
  readonly ffmpegPath?: string;
  readonly logger?: Logger;
}

/**
 * One request the fake answered (`status` 0: left hanging); `at` is Date.now() on arrival of the
 * answer.
 */
export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly at: number;
}

export interface ShotstackFake {
  /** The base to give the client as SHOTSTACK_BASE_URL. */
  readonly url: string;
  readonly renders: readonly FakeRender[];
  /** Every API request, in order (method, path, status answered). */
  readonly requests: ReadonlyArray<FakeRequest>;
  inject(fault: ShotstackFault): void;
  stop(): Promise<void>;
}

const owner = 'fakeowner1';

/**
 * A local Shotstack Edit API that speaks the documented wire protocol:
 * `POST /edit/{stage}/render` (and the legacy `/{stage}/render`) with `x-api-key`, a zod check of
 * the Edit with Shotstack-style 400 bodies, uuid render ids, `GET …/render/{id}` moving through
 * queued → fetching → preprocessing (edits with video) → rendering → saving → done | failed, as the
 * vendored OpenAPI definition lists them (specs/shotstack), and a real render: it fetches every
 * asset
 * URL (a failed fetch fails the render, as Shotstack does) and draws the Edit with ffmpeg, serving
 * the MP4 at `url`. Faults can be injected for each kind of trouble the client must survive.
 */
export async function startShotstackFake(
  options: ShotstackFakeOptions = {},
): Promise<ShotstackFake> {
  const log = options.logger ?? createLogger({ level: 'silent' });
  const apiKeys = options.apiKeys ?? { stage: 'fake-stage-key', v1: 'fake-v1-key' };
  const root = await mkdtemp(join(tmpdir(), 'shotstack-fake-'));
  const ffmpegPath = options.ffmpegPath ?? (await sharedExecutable('ffmpeg', log)).path;
  const probe = new FfprobeMediaProbe({ logger: log });
  const renders: FakeRender[] = [];
  const requests: FakeRequest[] = [];
  const faults: Array<ShotstackFault & { left: number }> = [];
  const hanging = new Set<ServerResponse>();
  const work = new Set<Promise<void>>();
  const stopping = new AbortController();
  let base = '';

  const takeFault = (
    on: FaultTarget | 'render' | 'unlisted',
  ): (ShotstackFault & { left: number }) | undefined => {
    const index = faults.findIndex((fault) =>
      on === 'render'
        ? fault.kind === 'render_failed' ||
          fault.kind === 'result_404' ||
          fault.kind === 'not_yet_visible'
        : on === 'unlisted'
          ? fault.kind === 'unlisted_status'
          : 'on' in fault && fault.on === on,
    );
    if (index < 0) return undefined;
    const fault = faults[index]!;
    fault.left -= 1;
    if (fault.left <= 0) faults.splice(index, 1);
    return fault;
  };

  const send = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    requests.push({
      method: req.method ?? 'GET',
      path: (req.url ?? '').split('?')[0]!,
      status,
      at: Date.now(),
    });
    res
      .writeHead(status, { 'content-type': 'application/json', ...headers })
      .end(typeof body === 'string' ? body : JSON.stringify(body));
  };

  /** Applies an injected fault; true when the request was answered by it. */
  const faulted = (req: IncomingMessage, res: ServerResponse, on: FaultTarget): boolean => {
    const fault = takeFault(on);
    if (!fault) return false;
    if (fault.kind === 'hang') {
      requests.push({
        method: req.method ?? 'GET',
        path: (req.url ?? '').split('?')[0]!,
        status: 0,
        at: Date.now(),
      });
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return true;
    }
    if (fault.kind === 'malformed') {
      send(
        req,
        res,
        on === 'submit' ? 201 : 200,
        on === 'submit'
          ? {
              success: true,
              message: 'Created',
              response: { message: 'Render Successfully Queued' },
            }
          : '<html>502 Bad Gateway</html>',
        on === 'status' ? { 'content-type': 'text/html' } : {},
      );
      return true;
    }
    if (fault.kind === 'http') {
      const body = fault.body ?? defaultErrorBody(fault.status);
      send(
        req,
        res,
        fault.status,
        body,
        fault.retryAfterSec !== undefined ? { 'retry-after': String(fault.retryAfterSec) } : {},
      );
      return true;
    }
    return false;
  };

  const startRender = (render: FakeRender, fault: ShotstackFault | undefined) => {
    const job = (async () => {
      const dir = join(root, render.id);
      await mkdir(dir, { recursive: true });
      const began = performance.now();
      const step = (status: FakeRenderStatus) => {
        render.status = status;
        render.updated = new Date().toISOString();
      };
      try {
        if (options.queueLatencyMs)
          await sleep(options.queueLatencyMs, undefined, { signal: stopping.signal });
        step('fetching');
        const assets = new Map<string, string>();
        const sources = new Set<string>();
        for (const clip of render.edit.timeline.tracks.flatMap((track) => track.clips))
          if (!clip.asset.src.startsWith('alias://')) sources.add(clip.asset.src);
        if (render.edit.timeline.soundtrack) sources.add(render.edit.timeline.soundtrack.src);
        for (const [i, src] of [...sources].entries()) {
          const path = join(dir, `asset-${i}`);
          const response = await fetch(src, {
            signal: AbortSignal.any([stopping.signal, AbortSignal.timeout(60_000)]),
          }).catch((error: unknown) => {
            throw new Error(`Unable to download asset ${src}: ${(error as Error).message}`);
          });
          if (!response.ok || !response.body)
            throw new Error(`Unable to download asset ${src}: HTTP ${response.status}`);
          await pipeline(
            Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
            createWriteStream(path),
          );
          render.fetched.push(src);
          assets.set(src, path);
        }
        if (fault?.kind === 'render_failed') throw new Error(fault.error);
        if (render.steps.includes('preprocessing')) step('preprocessing');
        step('rendering');
        const outputPath = join(dir, 'output.mp4');
        const { durationSec } = await renderEdit(render.edit, {
          ffmpegPath,
          probe,
          assets,
          workDir: dir,
          outputPath,
          signal: stopping.signal,
        });
        step('saving');
        render.outputPath = outputPath;
        render.durationSec = durationSec;
        render.renderTimeMs = Math.round(performance.now() - began);
        render.resultGone = fault?.kind === 'result_404';
        step('done');
      } catch (error) {
        render.error = (error as Error).message;
        step('failed');
        log.info(
          { stage: 'montage', provider: 'shotstack-fake', renderId: render.id, err: error },
          'fake render failed',
        );
      }
    })();
    work.add(job);
    void job.finally(() => work.delete(job));
  };

  const server = createServer((req, res) => {
    void (async () => {
      if (options.responseDelayMs) await sleep(options.responseDelayMs);
      const url = new URL(req.url ?? '/', 'http://fake');
      const serve = /^\/serve\/([\w-]+)\/([\w-]+)\.mp4$/.exec(url.pathname);
      if (serve && req.method === 'GET') return serveOutput(req, res, serve[2]!);
      const route = /^(?:\/edit)?\/(stage|v1)\/render(?:\/([^/]+))?\/?$/.exec(url.pathname);
      if (!route) return send(req, res, 404, { message: 'Not Found' });
      const stage = route[1] as FakeStage;
      const key = req.headers['x-api-key'];
      if (!apiKeys[stage] || key !== apiKeys[stage])
        return send(req, res, 403, { message: 'Forbidden' });
      if (route[2] === undefined && req.method === 'POST') return submit(req, res, stage);
      if (route[2] !== undefined && req.method === 'GET')
        return status(req, res, stage, decodeURIComponent(route[2]));
      return send(req, res, 405, { message: 'Method Not Allowed' });
    })().catch((error: unknown) => {
      log.error({ err: error }, 'fake shotstack failed');
      if (!res.headersSent)
        send(req, res, 500, { success: false, message: 'Internal Server Error', response: {} });
    });
  });

  async function submit(req: IncomingMessage, res: ServerResponse, stage: FakeStage) {
    const text = await readBody(req);
    if (faulted(req, res, 'submit')) return;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return send(req, res, 400, {
        success: false,
        message: 'Bad Request',
        response: { error: 'Invalid JSON body' },
      });
    }
    const parsed = editSchema.safeParse(json);
    if (!parsed.success) {
      const details = parsed.error.issues.map((issue) => ({
        path: issue.path.join('.'),
        message: issue.message,
      }));
      return send(req, res, 400, {
        success: false,
        message: 'Bad Request',
        response: {
          error: `Validation error: ${details.map((d) => `"${d.path}" ${d.message}`).join('; ')}`,
          details,
        },
      });
    }
    const now = new Date().toISOString();
    const fault = takeFault('render');
    const render: FakeRender = {
      id: randomUUID(),
      stage,
      edit: parsed.data,
      status: 'queued',
      shown: 'queued',
      steps: stepsOf(parsed.data),
      invisiblePolls: fault?.kind === 'not_yet_visible' ? fault.polls : 0,
      answered: [],
      fetched: [],
      polls: 0,
      created: now,
      updated: now,
      resultGone: false,
    };
    renders.push(render);
    startRender(render, fault);
    send(req, res, 201, {
      success: true,
      message: 'Created',
      response: { message: 'Render Successfully Queued', id: render.id },
    });
  }

  function status(req: IncomingMessage, res: ServerResponse, stage: FakeStage, id: string) {
    if (faulted(req, res, 'status')) return;
    const render = renders.find((r) => r.id === id && r.stage === stage);
    const notFound = () =>
      send(req, res, 404, {
        success: false,
        message: 'Not Found',
        response: { error: `Render ${id} not found` },
      });
    if (!render) return notFound();
    if (render.invisiblePolls > 0) {
      render.invisiblePolls -= 1;
      return notFound();
    }
    const unlisted = takeFault('unlisted');
    render.polls += 1;
    if (render.status === 'failed') render.shown = 'failed';
    // The first poll always finds the render queued, as a client polling right after submission
    // would.
    else if (render.polls > 1) {
      const shownAt = render.steps.indexOf(render.shown);
      if (shownAt < render.steps.indexOf(render.status)) render.shown = render.steps[shownAt + 1]!;
    }
    const shown = unlisted?.kind === 'unlisted_status' ? unlisted.status : render.shown;
    const done = shown === 'done';
    render.answered.push(shown);
    send(req, res, 200, {
      success: true,
      message: 'OK',
      response: {
        id: render.id,
        owner,
        plan: 'sandbox',
        status: shown,
        error: shown === 'failed' ? render.error : '',
        duration: done ? render.durationSec : undefined,
        renderTime: done ? render.renderTimeMs : undefined,
        url: done ? `${base}/serve/${owner}/${render.id}.mp4` : undefined,
        poster: null,
        thumbnail: null,
        created: render.created,
        updated: render.updated,
      },
    });
  }

  async function serveOutput(req: IncomingMessage, res: ServerResponse, id: string) {
    if (faulted(req, res, 'download')) return;
    const render = renders.find((r) => r.id === id);
    const path = render?.status === 'done' && !render.resultGone ? render.outputPath : undefined;
    const info = path ? await stat(path).catch(() => undefined) : undefined;
    if (!path || !info) {
      return send(req, res, 404, '<?xml version="1.0"?><Error><Code>NoSuchKey</Code></Error>', {
        'content-type': 'application/xml',
      });
    }
    requests.push({
      method: 'GET',
      path: new URL(req.url ?? '/', 'http://fake').pathname,
      status: 200,
      at: Date.now(),
    });
    res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(info.size) });
    await pipeline(createReadStream(path), res);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    renders,
    requests,
    inject(fault) {
      faults.push({ ...fault, left: fault.times ?? 1 });
    },
    async stop() {
      stopping.abort();
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([...work]);
      await rm(root, { recursive: true, force: true });
    },
  };
}

function defaultErrorBody(status: number): unknown {
  if (status === 401 || status === 403)
    return { message: status === 401 ? 'Unauthorized' : 'Forbidden' };
  if (status === 429)
    return {
      success: false,
      message: 'Too Many Requests',
      response: { error: 'rate_limit_error: Too many requests, please slow down' },
    };
  if (status === 422)
    return {
      success: false,
      message: 'Unprocessable Entity',
      response: { error: 'The edit could not be processed' },
    };
  if (status >= 500)
    return {
      success: false,
      message: 'Internal Server Error',
      response: { error: 'An unexpected error occurred' },
    };
  return { success: false, message: 'Bad Request', response: { error: 'Bad request' } };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
