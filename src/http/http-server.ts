import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../logging/logger.js';

export interface HttpServerOptions {
  readonly log: Logger;
  /** Readiness checks; each resolves true when its dependency answers. */
  readonly readiness: Record<string, () => Promise<boolean>>;
}

/**
 * The one HTTP server of a process: health, the Telegram webhook, signed file downloads and (later)
 * the analysts' API are plugins on it. Errors answer with one JSON shape and never a stack trace.
 */
export function createHttpServer(options: HttpServerOptions): FastifyInstance {
  const app = Fastify({
    // Per-request lines would drown the pipeline's logs; errors are still logged below.
    loggerInstance: options.log.child({ component: 'http' }, { level: 'warn' }) as FastifyBaseLogger,
    trustProxy: true,
    bodyLimit: 10 * 1024 * 1024,
  });

  app.setErrorHandler((error: { statusCode?: number; message?: string; code?: string }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    void reply.status(status).send({
      error: { code: error.code ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST'), message: status >= 500 ? 'Internal error' : (error.message ?? 'Bad request') },
    });
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const checks = await Promise.all(
      Object.entries(options.readiness).map(async ([name, check]) => {
        try {
          return [name, await check()] as const;
        } catch {
          return [name, false] as const;
        }
      }),
    );
    const ready = checks.every(([, ok]) => ok);
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(checks) });
  });
  return app;
}
