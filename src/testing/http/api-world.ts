import type { FastifyInstance } from 'fastify';
import { ProjectionSet } from '../../projections/projection-set.js';
import { openPgWorld, silentLogger, type PgWorld } from '../pg-world.js';
import { seedActivity, settledHead } from '../seed-activity.js';
import { registerApi } from '../../http/api/register-api.js';
import type { ApiDeps, StarsRefundPort } from '../../http/api/api-deps.js';
import type { ReadinessCheck } from '../../observability/readiness-check.js';
import { createHttpServer } from '../../http/http-server.js';

export const ANALYST_TOKEN = 'analyst-token-0123456789abcdef';
export const ADMIN_TOKEN = 'admin-token-fedcba9876543210';

export interface ApiWorld {
  readonly world: PgWorld;
  readonly projections: ProjectionSet;
  readonly app: FastifyInstance;
  readonly url: string;
  /** GET with a bearer token; returns status, parsed body and headers. */
  get(
    path: string,
    token?: string,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any; headers: Headers }>;
  /** POST of a JSON body with a bearer token. */
  post(path: string, body: unknown, token?: string): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export interface ApiWorldOptions {
  readonly users?: number;
  readonly seed?: number;
  readonly rateLimitPerMinute?: number;
  readonly readYourWritesTimeoutMs?: number;
  readonly readiness?: Record<string, ReadinessCheck>;
  readonly starsRefunds?: StarsRefundPort;
  /** Extra plugins (metrics, dashboard) registered before listening. */
  readonly register?: (
    app: FastifyInstance,
    world: PgWorld,
    projections: ProjectionSet,
  ) => Promise<void>;
}

/**
 * A seeded PostgreSQL database, its projections caught up and running, and the HTTP server with
 * the API on 127.0.0.1 at a free port.
 */
export async function openApiWorld(options: ApiWorldOptions = {}): Promise<ApiWorld> {
  const world = await openPgWorld();
  const projections = new ProjectionSet({
    store: world.store,
    readModels: world.readModels,
    log: silentLogger,
    pollIntervalMs: 50,
  });
  let app: FastifyInstance | undefined;
  try {
    if ((options.users ?? 0) > 0)
      await seedActivity(world.store, { users: options.users!, seed: options.seed ?? 7 });
    projections.start();
    await projections.waitFor(await settledHead(world.store), { timeoutMs: 20_000 });
    app = createHttpServer({ log: silentLogger, readiness: options.readiness ?? {} });
    const deps: ApiDeps = {
      store: world.store,
      db: world.readModels.db,
      projections,
      tokens: { analyst: [ANALYST_TOKEN], admin: [ADMIN_TOKEN] },
      rateLimitPerMinute: options.rateLimitPerMinute ?? 10_000,
      readYourWritesTimeoutMs: options.readYourWritesTimeoutMs ?? 5000,
      log: silentLogger,
      ...(options.starsRefunds ? { starsRefunds: options.starsRefunds } : {}),
    };
    await registerApi(app, deps);
    await options.register?.(app, world, projections);
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const server = app;
    return {
      world,
      projections,
      app: server,
      url,
      async get(path, token, headers = {}) {
        const response = await fetch(`${url}${path}`, {
          headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
        });
        const text = await response.text();
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON (metrics, HTML): the text itself
        }
        return { status: response.status, body, headers: response.headers };
      },
      async post(path, body, token) {
        const response = await fetch(`${url}${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body: JSON.stringify(body),
        });
        const text = await response.text();
        return { status: response.status, body: text === '' ? text : JSON.parse(text) };
      },
      async close() {
        await server.close();
        await projections.stop();
        await world.close();
      },
    };
  } catch (error) {
    await app?.close();
    await projections.stop();
    await world.close();
    throw error;
  }
}
