import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { TrustProxy } from '../config/trust-proxy.js';
import type { Logger } from '../logging/logger.js';
import type { ReadinessCheck } from '../observability/readiness-check.js';

export interface HttpServerOptions {
  readonly log: Logger;
  /** Readiness checks by name; /readyz answers 503 unless every one is ok. */
  readonly readiness: Record<string, ReadinessCheck>;
  /** Per-check limit, so one hung dependency cannot hang the probe; default 3 s. */
  readonly readinessTimeoutMs?: number;
  /** Which X-Forwarded-For hops to believe for `request.ip` (`TRUST_PROXY`); default none. */
  readonly trustProxy?: TrustProxy;
}

interface HttpError {
  statusCode?: number;
  message?: string;
  code?: string;
  /** Set by errors whose message is meant for the client even on a 5xx (e.g. ApiError 504). */
  expose?: boolean;
}

/**
 * The one HTTP server of a process: health, the Telegram webhook, signed file downloads, the
 * analysts' API, metrics and the dashboard are plugins on it. Errors answer with one JSON shape,
 * `{error:{code,message}}`, and never a stack trace.
 */
export function createHttpServer(options: HttpServerOptions): FastifyInstance {
  const app = Fastify({
    // Per-request lines would drown the pipeline's logs; errors are still logged below.
    // Without the assertion fastify infers the instance's logger type from pino's and no longer
    // matches FastifyInstance; the lint rule does not see that.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    loggerInstance: options.log.child(
      { component: 'http' },
      { level: 'warn' },
    ) as FastifyBaseLogger,
    // Believing X-Forwarded-For from anyone would let a client choose its own address (and so its
    // rate-limit bucket); only the proxies the operator names are trusted.
    trustProxy: toFastifyTrustProxy(options.trustProxy ?? false),
    bodyLimit: 10 * 1024 * 1024,
  });

  app.setErrorHandler((error: HttpError, request, reply) => {
    const status =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 600
        ? error.statusCode
        : 500;
    const exposed = error.expose === true;
    if (status >= 500 && !exposed) request.log.error({ err: error }, 'request failed');
    void reply.status(status).send({
      error: {
        code: error.code ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST'),
        message: status >= 500 && !exposed ? 'Internal error' : (error.message ?? 'Bad request'),
      },
    });
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const timeoutMs = options.readinessTimeoutMs ?? 3000;
    const checks = await Promise.all(
      Object.entries(options.readiness).map(
        async ([name, check]) => [name, await runCheck(check, timeoutMs)] as const,
      ),
    );
    const ready = checks.every(([, result]) => result.ok);
    return reply
      .status(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(checks) });
  });
  return app;
}

async function runCheck(
  check: ReadinessCheck,
  timeoutMs: number,
): Promise<{ ok: boolean; detail?: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<{ ok: false; detail: string }>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
  });
  try {
    const result = await Promise.race([check(), expired]);
    return typeof result === 'boolean' ? { ok: result } : result;
  } catch (error) {
    // The message only: a readiness probe is unauthenticated, and a stack trace says too much.
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * fastify (5.x) treats a bare hop count as "trust nothing", so a count becomes proxy-addr's own
 * hop rule: the socket's peer and the next `count - 1` forwarded hops are proxies, the address
 * before them is the client. Only right when every request really comes through that many proxies.
 */
function toFastifyTrustProxy(
  setting: TrustProxy,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return typeof setting === 'boolean' ? setting : [...setting];
}
