import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * `dist/dashboard` at the repository root, from src/http (tsx) and from dist/http (built) alike.
 */
export const defaultDashboardDir = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'dist',
  'dashboard',
);

const notBuiltPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Dashboard not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto">
<h1>The dashboard is not built</h1>
<p>Run <code>npm run build</code> (or <code>npx tsx scripts/build-dashboard.ts</code>) and restart the service.
The API itself works: see <a href="/docs">/docs</a>.</p>
</body></html>`;

/**
 * Serves the built dashboard (static files, no dev server) under `/dashboard/`. Whether it is built
 * is decided once, at start-up: without `index.html` every dashboard path answers a 503 page that
 * says how to build it.
 */
export async function registerDashboard(
  app: FastifyInstance,
  options: { readonly dir?: string } = {},
): Promise<{ built: boolean }> {
  const dir = options.dir ?? defaultDashboardDir;
  const built = existsSync(join(dir, 'index.html'));
  await app.register(async (scope) => {
    if (built) {
      await scope.register(fastifyStatic, {
        root: dir,
        prefix: '/dashboard/',
        redirect: true,
        // Another registration (the OpenAPI UI) may own reply.sendFile.
        decorateReply: false,
        // The token lives in sessionStorage; keep the pages off other origins' frames.
        setHeaders: (response) => {
          void response.header('x-frame-options', 'DENY');
          void response.header('x-content-type-options', 'nosniff');
        },
      });
      return;
    }
    const notBuilt = async (_request: unknown, reply: FastifyReply) =>
      reply
        .status(503)
        .header('content-type', 'text/html; charset=utf-8')
        .header('retry-after', '60')
        .send(notBuiltPage);
    scope.get('/dashboard', notBuilt);
    scope.get('/dashboard/*', notBuilt);
  });
  return { built };
}
