import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPGliteEventStore } from '../adapters/event-store/pglite/pglite-event-store.js';
import { userDecider } from '../domain/user/user-decider.js';
import type { EventStore } from '../ports/event-store/event-store.js';
import { CommandHandler, StaleStateError } from './command-handler.js';

const admin = { kind: 'admin' as const, id: '1' };

describe('CommandHandler (PGlite)', () => {
  let store: EventStore;
  beforeAll(async () => {
    store = (await openPGliteEventStore()).store;
  });
  afterAll(() => store.close());

  const register = (telegramId: number) => ({
    type: 'RegisterUser' as const,
    telegramId,
    username: 'u',
    firstName: 'U',
    language: 'en' as const,
    welcomeCredits: 10,
    grantId: `welcome-${telegramId}`,
  });

  it('appends the decided events with metadata and returns the new state', async () => {
    const handler = new CommandHandler(userDecider, {
      store,
      now: () => new Date('2026-11-25T10:00:00Z'),
    });
    const outcome = await handler.handle('user-101', register(101), {
      commandId: 'c-1',
      actor: { kind: 'user', id: '101' },
    });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.duplicate).toBe(false);
    expect(outcome.state.balance).toBe(10);
    const stored = await store.readStream('user-101');
    expect(stored.map((e) => e.type)).toEqual(outcome.events.map((e) => e.type));
    expect(stored[0]!.metadata).toMatchObject({
      commandId: 'c-1',
      causationId: 'c-1',
      correlationId: 'c-1',
      actor: { kind: 'user', id: '101' },
      timestamp: '2026-11-25T10:00:00.000Z',
      schemaVersion: 1,
    });
  });

  it('a repeated command id returns the first outcome and appends nothing, even from a cold handler', async () => {
    const first = new CommandHandler(userDecider, { store });
    await first.handle('user-102', register(102), { commandId: randomUUID(), actor: admin });
    const commandId = randomUUID();
    const grant = { type: 'GrantCredits' as const, amount: 5, reason: 'promo', grantId: commandId };
    const a = await first.handle('user-102', grant, { commandId, actor: admin });
    const before = (await store.readStream('user-102')).length;
    const again = await first.handle('user-102', grant, { commandId, actor: admin });
    const cold = await new CommandHandler(userDecider, { store, cacheSize: 0 }).handle(
      'user-102',
      grant,
      { commandId, actor: admin },
    );
    expect((await store.readStream('user-102')).length).toBe(before);
    for (const repeat of [again, cold]) {
      expect(repeat.ok && repeat.duplicate).toBe(true);
      if (repeat.ok && a.ok) {
        expect(repeat.events).toEqual(a.events);
        expect(repeat.state.balance).toBe(15);
        expect(repeat.position).toEqual(a.position);
      }
    }
  });

  it('returns typed rejections without appending', async () => {
    const handler = new CommandHandler(userDecider, { store });
    const outcome = await handler.handle(
      'user-103',
      { type: 'GrantCredits', amount: 5, reason: 'x', grantId: 'g' },
      { commandId: randomUUID(), actor: admin },
    );
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.rejection.code).toBe('not_registered');
    expect(await store.readStream('user-103')).toEqual([]);
  });

  it('retries on conflicts between handlers that each cached an older state', async () => {
    const a = new CommandHandler(userDecider, { store });
    const b = new CommandHandler(userDecider, { store });
    await a.handle('user-104', register(104), { commandId: randomUUID(), actor: admin });
    await b.load('user-104');
    await a.handle(
      'user-104',
      { type: 'GrantCredits', amount: 1, reason: 'a', grantId: 'ga' },
      { commandId: randomUUID(), actor: admin },
    );
    const outcome = await b.handle(
      'user-104',
      { type: 'GrantCredits', amount: 2, reason: 'b', grantId: 'gb' },
      { commandId: randomUUID(), actor: admin },
    );
    expect(outcome.ok && outcome.state.balance).toBe(13);
  });

  it('decides on its cached state without reading, and a stale cache never decides wrongly', async () => {
    const reads: string[] = [];
    const counting: EventStore = Object.assign(Object.create(store) as EventStore, {
      readStream: (name: string, options?: Parameters<EventStore['readStream']>[1]) => (
        reads.push(name),
        store.readStream(name, options)
      ),
    });
    const a = new CommandHandler(userDecider, { store: counting });
    const b = new CommandHandler(userDecider, { store });
    await a.handle('user-105', register(105), { commandId: randomUUID(), actor: admin });

    // Warm cache, nobody else writing: no read before the append.
    reads.length = 0;
    await a.handle(
      'user-105',
      { type: 'GrantCredits', amount: 1, reason: 'a', grantId: 'g1' },
      { commandId: randomUUID(), actor: admin },
    );
    expect(reads).toEqual([]);

    // Another handler spends all 11 credits; a's cache still says 11. Spending 1 must now be
    // rejected, and only after reading the stream, not accepted from the stale state.
    await b.handle(
      'user-105',
      { type: 'SpendCredits', amount: 11, reason: 'b', spendId: 's-b' },
      { commandId: randomUUID(), actor: admin },
    );
    const spent = await a.handle(
      'user-105',
      { type: 'SpendCredits', amount: 1, reason: 'a', spendId: 's-a' },
      { commandId: randomUUID(), actor: admin },
    );
    expect(spent.ok).toBe(false);
    expect(spent.state.balance).toBe(0);

    // The other way round: b grants; a's (now refreshed, then stale again) cache says 0, but a's
    // revoke of 2 is accepted after confirming against the stream.
    await b.handle(
      'user-105',
      { type: 'GrantCredits', amount: 5, reason: 'b', grantId: 'g2' },
      { commandId: randomUUID(), actor: admin },
    );
    const revoked = await a.handle(
      'user-105',
      { type: 'RevokeCredits', amount: 2, reason: 'a', revokeId: 'r-a' },
      { commandId: randomUUID(), actor: admin },
    );
    expect(revoked.ok && revoked.state.balance).toBe(3);
  });
  it('a command based on a revision the stream has left is refused as stale, with nothing appended', async () => {
    const a = new CommandHandler(userDecider, { store });
    const b = new CommandHandler(userDecider, { store });
    await a.handle('user-106', register(106), { commandId: randomUUID(), actor: admin });
    const seen = a.cached('user-106');
    expect(seen?.state.balance).toBe(10);

    // At the revision it was based on: accepted from the cache, and the cache moves on.
    const granted = await a.handle(
      'user-106',
      { type: 'GrantCredits', amount: 1, reason: 'a', grantId: 'g1' },
      { commandId: randomUUID(), actor: admin },
      { basedOn: seen!.revision },
    );
    expect(granted.ok && granted.state.balance).toBe(11);
    const basedOn = a.cached('user-106')!.revision;

    // Another process writes; a's cache is behind. The command chosen on that state is refused
    // (not decided again on the new one), whether the decision would pass or not.
    await b.handle(
      'user-106',
      { type: 'SpendCredits', amount: 11, reason: 'b', spendId: 's-b' },
      { commandId: randomUUID(), actor: admin },
    );
    const before = (await store.readStream('user-106')).length;
    const grant = a.handle(
      'user-106',
      { type: 'GrantCredits', amount: 2, reason: 'a', grantId: 'g2' },
      { commandId: randomUUID(), actor: admin },
      { basedOn },
    );
    await expect(grant).rejects.toBeInstanceOf(StaleStateError);
    const spend = a.handle(
      'user-106',
      { type: 'SpendCredits', amount: 1, reason: 'a', spendId: 's-a' },
      { commandId: randomUUID(), actor: admin },
      { basedOn },
    );
    await expect(spend).rejects.toMatchObject({
      code: 'STALE_STATE',
      retryable: true,
      basedOn,
      actual: basedOn + 1n,
    });
    expect(await store.readStream('user-106')).toHaveLength(before);

    // Based on the revision now current, the same kind of command goes through.
    const current = await a.load('user-106');
    const again = await a.handle(
      'user-106',
      { type: 'GrantCredits', amount: 2, reason: 'a', grantId: 'g3' },
      { commandId: randomUUID(), actor: admin },
      { basedOn: current.revision },
    );
    expect(again.ok && again.state.balance).toBe(2);
  });
});
