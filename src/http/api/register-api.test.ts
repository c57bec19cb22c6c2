import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserCommands } from '../../commands/user-commands.js';
import { userStream } from '../../domain/events/streams.js';
import { formatPosition } from '../../ports/event-store/position.js';
import { skipWithoutPostgres } from '../../testing/postgres.js';
import type { StarsRefundPort } from './api-deps.js';
import {
  ADMIN_TOKEN,
  ANALYST_TOKEN,
  openApiWorld,
  type ApiWorld,
} from '../../testing/http/api-world.js';

const skip = await skipWithoutPostgres('HTTP API (PostgreSQL)');

// The refund route's wiring and answers; the refund itself (Telegram, then the event) is end to
// end.
const refundCalls: unknown[] = [];
const starsRefunds: StarsRefundPort = {
  adminIds: [77],
  async refund(request) {
    refundCalls.push(request);
    if (request.chargeId === 'done')
      return { ok: true, stars: 50, creditsTakenBack: 4, balance: 0, duplicate: false };
    if (request.chargeId === 'again')
      return {
        ok: false,
        code: 'payment_already_refunded',
        message: 'refunded already',
        retryable: false,
      };
    if (request.chargeId === 'refused')
      return { ok: false, code: 'telegram_refused', message: 'CHARGE_NOT_FOUND', retryable: false };
    return { ok: false, code: 'unknown_payment', message: 'no such payment', retryable: false };
  },
};
const creditTypes = new Set([
  'CreditsGranted',
  'CreditsRevoked',
  'CreditsSpent',
  'CreditsRefunded',
]);

const expectError = (response: { status: number; body: any }, status: number, code: string) => {
  expect(response.status).toBe(status);
  expect(response.body).toEqual({ error: { code, message: expect.any(String) } });
  expect(response.body.error.message.length).toBeGreaterThan(0);
};

describe.skipIf(skip)('HTTP API on a seeded database', () => {
  let api: ApiWorld;
  let userIds: string[];

  beforeAll(async () => {
    api = await openApiWorld({
      users: 14,
      seed: 11,
      readYourWritesTimeoutMs: 10_000,
      starsRefunds,
    });
    userIds = (
      await api.world.readModels.db
        .selectFrom('users')
        .select('telegram_id')
        .orderBy('telegram_id')
        .execute()
    ).map((row) => String(row.telegram_id));
    expect(userIds.length).toBe(14);
  });
  afterAll(async () => api?.close());

  it('refuses requests without a token, with an unknown token, and outside the scope', async () => {
    const none = await api.get('/api/v1/stats/daily?from=2026-11-19&to=2026-11-25');
    expectError(none, 401, 'UNAUTHORIZED');
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expectError(
      await api.get('/api/v1/stats/daily?from=2026-11-19&to=2026-11-25', `${ANALYST_TOKEN}x`),
      401,
      'UNAUTHORIZED',
    );
    expectError(
      await api.get('/api/v1/stats/daily?from=2026-11-19&to=2026-11-25', '', {
        authorization: `Basic ${ANALYST_TOKEN}`,
      }),
      401,
      'UNAUTHORIZED',
    );

    // Analysts: aggregates and generations, but not users, ledgers, audits or raw events.
    expect((await api.get('/api/v1/me', ANALYST_TOKEN)).body).toEqual({ scope: 'analyst' });
    expect((await api.get('/api/v1/generations?limit=1', ANALYST_TOKEN)).status).toBe(200);
    for (const path of [
      `/api/v1/users/${userIds[0]}`,
      `/api/v1/users/${userIds[0]}/ledger`,
      `/api/v1/users/${userIds[0]}/credit-audit`,
      `/api/v1/streams/user-${userIds[0]}/events`,
    ]) {
      expectError(await api.get(path, ANALYST_TOKEN), 403, 'FORBIDDEN');
      expect((await api.get(path, ADMIN_TOKEN)).status).toBe(200);
    }
    // admin ⊃ analyst
    expect((await api.get('/api/v1/me', ADMIN_TOKEN)).body).toEqual({ scope: 'admin' });
    expect(
      (await api.get('/api/v1/stats/daily?from=2026-11-19&to=2026-11-25', ADMIN_TOKEN)).status,
    ).toBe(200);
    // the script text is for admins only
    const analystRow = (await api.get('/api/v1/generations?limit=1', ANALYST_TOKEN)).body.items[0];
    const adminRow = (await api.get('/api/v1/generations?limit=1', ADMIN_TOKEN)).body.items[0];
    expect(analystRow).not.toHaveProperty('textPrompt');
    expect(adminRow.textPrompt).toMatch(/Try our product/);
  });

  it('answers bad input with 400 in the house error shape', async () => {
    for (const path of [
      '/api/v1/stats/daily?from=2026-13-01&to=2026-11-25',
      '/api/v1/stats/daily?from=2026-11-25&to=2026-11-01',
      '/api/v1/stats/daily?from=2020-01-01&to=2026-11-25',
      '/api/v1/stats/daily?to=2026-11-25',
      '/api/v1/stats/daily?from=2026-11-19&to=2026-11-25&bogus=1',
      '/api/v1/generations?limit=0',
      '/api/v1/generations?limit=abc',
      '/api/v1/generations?format=gif',
      '/api/v1/generations?status=lost',
      '/api/v1/generations?userId=-5',
      '/api/v1/generations?cursor=bm90LWEtY3Vyc29y',
      '/api/v1/generations?atPosition=yesterday',
      '/api/v1/streams/user-1/events?fromRevision=-1',
    ]) {
      const response = await api.get(path, ADMIN_TOKEN);
      expectError(response, 400, 'BAD_REQUEST');
    }
    const named = await api.get('/api/v1/generations?format=gif', ANALYST_TOKEN);
    expect(named.body.error.message).toContain('query.format');
    expectError(await api.get('/api/v1/users/abc', ADMIN_TOKEN), 400, 'BAD_REQUEST');
    expectError(
      await api.get('/api/v1/generations', ANALYST_TOKEN, { 'x-at-position': 'nope' }),
      400,
      'BAD_REQUEST',
    );
    expectError(await api.get('/api/v1/users/999999999', ADMIN_TOKEN), 404, 'NOT_FOUND');
    expectError(await api.get('/api/v1/no-such-thing', ADMIN_TOKEN), 404, 'NOT_FOUND');
  });

  it('daily stats equal the daily_stats read model, with empty days filled in', async () => {
    const response = await api.get(
      '/api/v1/stats/daily?from=2026-11-18&to=2026-11-26',
      ANALYST_TOKEN,
    );
    expect(response.status).toBe(200);
    expect(response.body.days.map((day: { day: string }) => day.day)).toEqual([
      '2026-11-18',
      '2026-11-19',
      '2026-11-20',
      '2026-11-21',
      '2026-11-22',
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
    ]);
    const rows = await api.world.readModels.db.selectFrom('daily_stats').selectAll().execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const day = response.body.days.find(
        (entry: { day: string }) => entry.day === String(row.day),
      );
      expect(day, String(row.day)).toBeDefined();
      expect(day.newUsers).toBe(row.new_users);
      expect(day.activeUsers).toBe(row.active_users);
      expect(day.generations.requested).toBe(row.generations_requested);
      expect(day.generations.byFormat.background.failed).toBe(row.background_failed);
      expect(day.credits).toEqual({
        granted: row.credits_granted,
        spent: row.credits_spent,
        refunded: row.credits_refunded,
        revoked: row.credits_revoked,
      });
      expect(day.stars).toEqual({
        payments: row.stars_payments,
        revenue: row.stars_revenue,
        creditsSold: row.credits_sold,
        refunds: row.stars_refunds,
        refunded: row.stars_refunded,
      });
      expect(day.stageTimings).toEqual(row.stage_timings);
    }
    const total = response.body.days.reduce(
      (sum: number, day: { newUsers: number }) => sum + day.newUsers,
      0,
    );
    expect(total).toBe(14);
    expect(response.body.days[0]).toMatchObject({
      newUsers: 0,
      activeUsers: 0,
      credits: { granted: 0 },
    });
  });

  it('cursor pagination walks every generation exactly once, newest first, under filters too', async () => {
    const all = await api.world.readModels.db
      .selectFrom('generation_history')
      .select(['generation_id', 'generation_type', 'status', 'created_at'])
      .execute();
    expect(all.length).toBeGreaterThan(15);
    const walk = async (filter: string) => {
      const seen: Array<{ generationId: string; createdAt: string }> = [];
      let cursor: string | null = null;
      for (let page = 0; page < 100; page += 1) {
        const response = await api.get(
          `/api/v1/generations?limit=4${filter}${cursor ? `&cursor=${cursor}` : ''}`,
          ANALYST_TOKEN,
        );
        expect(response.status).toBe(200);
        expect(response.body.items.length).toBeLessThanOrEqual(4);
        seen.push(...response.body.items);
        cursor = response.body.nextCursor;
        if (!cursor) break;
      }
      return seen;
    };
    const seen = await walk('');
    expect(seen.map((row) => row.generationId).sort()).toEqual(
      all.map((row) => row.generation_id).sort(),
    );
    expect(new Set(seen.map((row) => row.generationId)).size).toBe(seen.length);
    for (let i = 1; i < seen.length; i += 1)
      expect(seen[i - 1]!.createdAt >= seen[i]!.createdAt).toBe(true);

    const failedBackground = await walk('&format=background&status=failed');
    const expected = all
      .filter((row) => row.generation_type === 'background' && row.status === 'failed')
      .map((row) => row.generation_id)
      .sort();
    expect(failedBackground.map((row) => row.generationId).sort()).toEqual(expected);

    const firstUser = userIds[0]!;
    const ofUser = await walk(`&userId=${firstUser}&from=2026-11-01&to=2026-11-30`);
    const mine = await api.world.readModels.db
      .selectFrom('generation_history')
      .select('generation_id')
      .where('user_id', '=', firstUser)
      .execute();
    expect(ofUser.map((row) => row.generationId).sort()).toEqual(
      mine.map((row) => row.generation_id).sort(),
    );
    expect((await walk('&from=2030-01-01')).length).toBe(0);
  });

  it('the credit audit is the event log itself and sums to the balance shown by the profile', async () => {
    for (const id of userIds.slice(0, 5)) {
      const audit = await api.get(`/api/v1/users/${id}/credit-audit`, ADMIN_TOKEN);
      expect(audit.status).toBe(200);
      const stream = await api.world.store.readStream(userStream(Number(id)));
      const credits = stream.filter((event) => creditTypes.has(event.type));
      expect(
        audit.body.entries.map((entry: any) => [entry.eventId, entry.globalPosition, entry.type]),
      ).toEqual(credits.map((event) => [event.id, event.globalPosition.toString(), event.type]));
      for (const entry of audit.body.entries) {
        expect(entry.actor.kind).toMatch(/^(user|admin|system)$/);
        expect(Number.isNaN(Date.parse(entry.timestamp))).toBe(false);
        expect(entry.reason.length).toBeGreaterThan(0);
      }
      const sum = audit.body.entries.reduce(
        (total: number, entry: { delta: number }) => total + entry.delta,
        0,
      );
      expect(sum).toBe(audit.body.balance);
      const profile = await api.get(`/api/v1/users/${id}`, ADMIN_TOKEN);
      expect(profile.body.telegramId).toBe(id);
      expect(profile.body.credits.balance).toBe(audit.body.balance);
      expect(profile.body.credits.granted).toBe(audit.body.totals.granted);
      // and the ledger projection agrees entry by entry
      const ledger = await api.get(`/api/v1/users/${id}/ledger?limit=3`, ADMIN_TOKEN);
      let entries = ledger.body.entries;
      let after = ledger.body.nextAfter;
      while (after) {
        const next = await api.get(
          `/api/v1/users/${id}/ledger?limit=3&after=${after}`,
          ADMIN_TOKEN,
        );
        entries = [...entries, ...next.body.entries];
        after = next.body.nextAfter;
      }
      expect(entries.map((entry: any) => [entry.eventId, entry.delta, entry.balanceAfter])).toEqual(
        audit.body.entries.map((entry: any) => [entry.eventId, entry.delta, entry.balanceAfter]),
      );
    }
  });

  it('raw events page by revision and cover the stream exactly', async () => {
    const streamName = `user-${userIds[1]}`;
    const stored = await api.world.store.readStream(streamName);
    const pages: any[] = [];
    let from: string | null = '0';
    while (from !== null) {
      const response = await api.get(
        `/api/v1/streams/${streamName}/events?limit=5&fromRevision=${from}`,
        ADMIN_TOKEN,
      );
      expect(response.status).toBe(200);
      pages.push(...response.body.events);
      from = response.body.nextRevision;
    }
    expect(pages.map((event) => [event.id, event.revision, event.type, event.position])).toEqual(
      stored.map((event) => [
        event.id,
        event.revision.toString(),
        event.type,
        formatPosition(event.position),
      ]),
    );
    expect(pages[0].metadata.actor).toBeDefined();
    expect(
      (await api.get('/api/v1/streams/user-123456789/events', ADMIN_TOKEN)).body.events,
    ).toEqual([]);
  });

  it('reads its own writes: a command position waits for the projections', async () => {
    const id = Number(userIds[2]);
    const before = (await api.get(`/api/v1/users/${id}`, ADMIN_TOKEN)).body.credits.balance;
    const users = new UserCommands({ store: api.world.store });
    const outcome = await users.execute(
      id,
      { type: 'GrantCredits', amount: 7, reason: 'api test', grantId: randomUUID() },
      { commandId: randomUUID(), actor: { kind: 'admin', id: '42' } },
    );
    expect(outcome.ok && outcome.position).toBeTruthy();
    const position = formatPosition(outcome.ok ? outcome.position! : (undefined as never));
    const viaQuery = await api.get(`/api/v1/users/${id}?atPosition=${position}`, ADMIN_TOKEN);
    expect(viaQuery.status, JSON.stringify(viaQuery.body)).toBe(200);
    expect(viaQuery.body.credits.balance).toBe(before + 7);
    const ledger = await api.get(`/api/v1/users/${id}/ledger`, ADMIN_TOKEN, {
      'x-at-position': position,
    });
    expect(ledger.body.entries.at(-1)).toMatchObject({
      delta: 7,
      reason: 'api test',
      actor: { kind: 'admin', id: '42' },
    });
  });

  it("lists a user's Stars payments with their refunds, and refunds one through the port as a named admin", async () => {
    const payments = await api.world.readModels.db
      .selectFrom('stars_payments')
      .selectAll()
      .orderBy('user_id')
      .execute();
    expect(payments.length).toBeGreaterThan(0);
    const refunded = payments.find((row) => row.refunded_at !== null);
    expect(refunded).toBeDefined();
    const listed = await api.get(`/api/v1/users/${refunded!.user_id}/payments`, ADMIN_TOKEN);
    expect(listed.status).toBe(200);
    expect(listed.body.payments).toEqual([
      {
        chargeId: refunded!.charge_id,
        orderId: refunded!.order_id,
        packId: '10',
        credits: 10,
        stars: 50,
        paidAt: expect.any(String),
        refund: {
          at: expect.any(String),
          by: 'admin',
          adminId: '1',
          creditsTakenBack: refunded!.credits_taken_back,
        },
      },
    ]);
    expectError(
      await api.get(`/api/v1/users/${refunded!.user_id}/payments`, ANALYST_TOKEN),
      403,
      'FORBIDDEN',
    );

    const path = (charge: string) => `/api/v1/users/${refunded!.user_id}/payments/${charge}/refund`;
    const done = await api.post(path('done'), { adminId: 77 }, ADMIN_TOKEN);
    expect(done).toEqual({
      status: 200,
      body: { refunded: true, stars: 50, creditsTakenBack: 4, balance: 0, duplicate: false },
    });
    expect(refundCalls).toEqual([
      { userId: Number(refunded!.user_id), chargeId: 'done', adminId: 77 },
    ]);
    expectError(
      await api.post(path('again'), { adminId: 77 }, ADMIN_TOKEN),
      409,
      'ALREADY_REFUNDED',
    );
    expectError(await api.post(path('nope'), { adminId: 77 }, ADMIN_TOKEN), 404, 'NOT_FOUND');
    expectError(
      await api.post(path('refused'), { adminId: 77 }, ADMIN_TOKEN),
      502,
      'TELEGRAM_REFUSED',
    );
    expectError(await api.post(path('done'), { adminId: 78 }, ADMIN_TOKEN), 400, 'BAD_REQUEST');
    expectError(await api.post(path('done'), {}, ADMIN_TOKEN), 400, 'BAD_REQUEST');
    expectError(await api.post(path('done'), { adminId: 77 }, ANALYST_TOKEN), 403, 'FORBIDDEN');
    expect(refundCalls).toHaveLength(4);
  });

  it('publishes an OpenAPI document at /docs with the API routes and the bearer scheme', async () => {
    const doc = await api.get('/docs/json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/stats/daily',
        '/api/v1/generations',
        '/api/v1/users/{telegramId}',
        '/api/v1/users/{telegramId}/credit-audit',
        '/api/v1/streams/{streamName}/events',
      ]),
    );
    expect(doc.body.paths['/healthz']).toBeUndefined();
    expect(doc.body.components.securitySchemes.bearerAuth).toEqual({
      type: 'http',
      scheme: 'bearer',
    });
    const params = doc.body.paths['/api/v1/generations'].get.parameters.map(
      (p: { name: string }) => p.name,
    );
    expect(params).toEqual(
      expect.arrayContaining([
        'userId',
        'format',
        'status',
        'from',
        'to',
        'limit',
        'cursor',
        'atPosition',
      ]),
    );
    expect(doc.body.paths['/api/v1/users/{telegramId}'].get.description).toContain('admin only');
    expect((await api.get('/docs')).status).toBeLessThan(400);
  });
});

describe.skipIf(skip)('HTTP API rate limit and read-your-writes timeout', () => {
  let api: ApiWorld;
  beforeAll(async () => {
    api = await openApiWorld({ rateLimitPerMinute: 3, readYourWritesTimeoutMs: 300 });
  });
  afterAll(async () => api?.close());

  it('answers 504 when the projections do not reach the position in time', async () => {
    const far = `${'9'.repeat(18)}:${'9'.repeat(18)}`;
    const started = Date.now();
    expectError(
      await api.get(`/api/v1/generations?atPosition=${far}`, ADMIN_TOKEN),
      504,
      'PROJECTION_TIMEOUT',
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('answers 429 in the house shape once a token spends its minute, per token', async () => {
    for (let i = 0; i < 3; i += 1)
      expect((await api.get('/api/v1/me', ANALYST_TOKEN)).status).toBe(200);
    const limited = await api.get('/api/v1/me', ANALYST_TOKEN);
    expectError(limited, 429, 'RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // another token has its own budget
    expect((await api.get('/api/v1/me', ADMIN_TOKEN)).status).toBe(200);
  });
});
