import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { envSchema } from '../../config/env-schema.js';
import type { TrustProxy } from '../../config/trust-proxy.js';
import { createHttpServer } from '../http-server.js';
import type { ApiDeps } from './api-deps.js';
import { registerApi } from './register-api.js';

const ANALYST = 'analyst-token-0123456789abcdef';
const ADMIN = 'admin-token-fedcba9876543210';

/** Auth and rate limiting never touch storage; any use of it here is a bug the test should show. */
const unused = new Proxy(
  {},
  {
    get: (_target, name) => {
      throw new Error(`storage used in a rate-limit test: ${String(name)}`);
    },
  },
);

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function server(
  options: { trustProxy?: TrustProxy; perToken?: number; perAddress?: number } = {},
) {
  app = createHttpServer({
    log: pino({ level: 'silent' }),
    readiness: {},
    trustProxy: options.trustProxy,
  });
  const deps: ApiDeps = {
    store: unused as ApiDeps['store'],
    db: unused as ApiDeps['db'],
    projections: { waitFor: async () => undefined },
    tokens: { analyst: [ANALYST], admin: [ADMIN] },
    rateLimitPerMinute: options.perToken ?? 5,
    unauthenticatedRateLimitPerMinute: options.perAddress ?? 3,
    log: pino({ level: 'silent' }),
  };
  await registerApi(app, deps);
  await app.ready();
  return app;
}

async function call(
  instance: FastifyInstance,
  from: string,
  options: { token?: string; forwardedFor?: string; url?: string } = {},
) {
  const response = await instance.inject({
    method: 'GET',
    url: options.url ?? '/api/v1/me',
    remoteAddress: from,
    headers: {
      ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
      ...(options.forwardedFor === undefined ? {} : { 'x-forwarded-for': options.forwardedFor }),
    },
  });
  return {
    status: response.statusCode,
    body: response.json<{ error?: { code: string; message: string } }>(),
    headers: response.headers,
  };
}

describe('API rate limit without a valid token', () => {
  it('limits wrong tokens, missing tokens and unknown paths per client address, in the house error shape', async () => {
    const api = await server({ perAddress: 3 });
    expect((await call(api, '10.0.0.1', { token: 'guess-1' })).status).toBe(401);
    expect((await call(api, '10.0.0.1')).status).toBe(401);
    expect((await call(api, '10.0.0.1', { token: 'guess-2', url: '/api/v1/nope' })).status).toBe(
      404,
    );

    const limited = await call(api, '10.0.0.1', { token: 'guess-3' });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      error: { code: 'RATE_LIMITED', message: expect.stringContaining('3 requests per minute') },
    });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await call(api, '10.0.0.1')).status).toBe(429);

    // Another address has its own budget; a valid token from the throttled address is not held
    // back.
    expect((await call(api, '10.0.0.2', { token: 'guess-4' })).status).toBe(401);
    expect((await call(api, '10.0.0.1', { token: ANALYST })).status).toBe(200);
  });

  it('keeps the per-token limit for valid tokens, each token on its own', async () => {
    const api = await server({ perToken: 2, perAddress: 100 });
    for (let i = 0; i < 2; i += 1)
      expect((await call(api, '10.0.0.1', { token: ANALYST })).status).toBe(200);
    expect((await call(api, '10.0.0.9', { token: ANALYST })).body.error?.code).toBe('RATE_LIMITED');
    expect((await call(api, '10.0.0.1', { token: ADMIN })).status).toBe(200);
  });

  it('groups IPv6 clients by their /64, so one host cannot rotate through its addresses', async () => {
    const api = await server({ perAddress: 2 });
    expect((await call(api, '2001:db8:1:2::10', { token: 'x' })).status).toBe(401);
    expect((await call(api, '2001:db8:1:2::11', { token: 'x' })).status).toBe(401);
    expect((await call(api, '2001:db8:1:2:ffff::1', { token: 'x' })).status).toBe(429);
    expect((await call(api, '2001:db8:1:3::1', { token: 'x' })).status).toBe(401);
  });
});

describe('X-Forwarded-For and TRUST_PROXY', () => {
  it('with the proxy not trusted (the default), a forged X-Forwarded-For does not dodge the limit', async () => {
    const api = await server({ perAddress: 2 });
    for (const forged of ['1.1.1.1', '2.2.2.2'])
      expect((await call(api, '10.0.0.1', { token: 'bad', forwardedFor: forged })).status).toBe(
        401,
      );
    expect((await call(api, '10.0.0.1', { token: 'bad', forwardedFor: '3.3.3.3' })).status).toBe(
      429,
    );
  });

  it('with the proxy trusted, the forwarded address is the client', async () => {
    const api = await server({ perAddress: 2, trustProxy: ['10.0.0.1'] });
    for (let i = 0; i < 2; i += 1)
      expect(
        (await call(api, '10.0.0.1', { token: 'bad', forwardedFor: '203.0.113.7' })).status,
      ).toBe(401);
    expect(
      (await call(api, '10.0.0.1', { token: 'bad', forwardedFor: '203.0.113.7' })).status,
    ).toBe(429);
    // Two users behind the same proxy are two clients.
    expect(
      (await call(api, '10.0.0.1', { token: 'bad', forwardedFor: '203.0.113.8' })).status,
    ).toBe(401);
    // A client that is not the trusted proxy cannot forge its address.
    const stranger = await call(api, '198.51.100.1', { token: 'bad', forwardedFor: '203.0.113.8' });
    expect(stranger.status).toBe(401);
    expect(
      (await call(api, '198.51.100.1', { token: 'bad', forwardedFor: '203.0.113.99' })).status,
    ).toBe(401);
    expect(
      (await call(api, '198.51.100.1', { token: 'bad', forwardedFor: '203.0.113.100' })).status,
    ).toBe(429);
  });
});

describe('the client address each TRUST_PROXY setting yields', () => {
  async function ipSeen(trustProxy: TrustProxy | undefined, from: string, forwardedFor: string) {
    app = createHttpServer({ log: pino({ level: 'silent' }), readiness: {}, trustProxy });
    app.get('/ip', async (request) => ({ ip: request.ip }));
    const response = await app.inject({
      url: '/ip',
      remoteAddress: from,
      headers: { 'x-forwarded-for': forwardedFor },
    });
    const { ip } = response.json<{ ip: string }>();
    await app.close();
    app = undefined;
    return ip;
  }

  it.each([
    [undefined, '10.0.0.1'],
    [false, '10.0.0.1'],
    [true, '203.0.113.5'],
    [1, '198.51.100.7'],
    [2, '203.0.113.5'],
    [['10.0.0.0/8'], '198.51.100.7'],
    [['10.0.0.0/8', '198.51.100.7'], '203.0.113.5'],
    [['192.168.0.0/16'], '10.0.0.1'],
  ] as const)('%j → %s', async (setting, expected) => {
    expect(
      await ipSeen(setting as TrustProxy | undefined, '10.0.0.1', '203.0.113.5, 198.51.100.7'),
    ).toBe(expected);
  });
});

describe('TRUST_PROXY setting', () => {
  const parse = (value: string | undefined) => envSchema.shape.TRUST_PROXY.safeParse(value);

  it('is off by default and takes false, true, a hop count or addresses and CIDRs', () => {
    expect(parse(undefined).data).toBe(false);
    expect(parse('').data).toBe(false);
    expect(parse('false').data).toBe(false);
    expect(parse('true').data).toBe(true);
    expect(parse('2').data).toBe(2);
    expect(
      parse('10.0.0.0/8, 127.0.0.1,::1,fd00::/8,loopback,192.168.0.0/255.255.0.0').data,
    ).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      '::1',
      'fd00::/8',
      'loopback',
      '192.168.0.0/255.255.0.0',
    ]);
  });

  it('refuses what is not an address, naming it', () => {
    for (const bad of ['yes-please', '10.0.0.0/33', '10.0.0.1,proxy.internal', '::1/129']) {
      const result = parse(bad);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toContain('not an address');
    }
  });
});
