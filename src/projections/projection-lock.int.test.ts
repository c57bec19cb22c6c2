import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserCommands } from '../commands/user-commands.js';
import { openPgWorld, silentLogger, type PgWorld } from '../testing/pg-world.js';
import { skipWithoutPostgres } from '../testing/postgres.js';
import { creditsProjection } from './definitions/credits-projection.js';
import { ProjectionSet } from './projection-set.js';
import { openReadModels, type ReadModels } from '../database/open-read-models.js';

const skip = await skipWithoutPostgres('projection lock (PostgreSQL)');

describe.skipIf(skip)('one active runner per projection across processes (PostgreSQL)', () => {
  let world: PgWorld;
  let secondProcess: ReadModels;
  beforeAll(async () => {
    world = await openPgWorld();
    // A second "process": its own pool and its own lock connections on the same database.
    secondProcess = await openReadModels({ kind: 'postgres', url: world.database.url });
  });
  afterAll(async () => {
    await secondProcess.close();
    await world.close();
  });

  it('one runner is active, the other stands by, follows the checkpoint and takes over when the first stops', async () => {
    const options = {
      store: world.store,
      log: silentLogger,
      projections: [creditsProjection],
      pollIntervalMs: 50,
      standbyRetryMs: 100,
    };
    const first = new ProjectionSet({ ...options, readModels: world.readModels });
    const second = new ProjectionSet({ ...options, readModels: secondProcess });
    first.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    second.start();
    try {
      const users = new UserCommands({ store: world.store });
      const admin = { kind: 'admin' as const, id: '1' };
      const registered = await users.execute(
        4242,
        {
          type: 'RegisterUser',
          telegramId: 4242,
          username: null,
          firstName: 'L',
          language: 'en',
          welcomeCredits: 10,
          grantId: 'w',
        },
        { commandId: randomUUID(), actor: { kind: 'user', id: '4242' } },
      );
      if (!registered.ok || !registered.position) throw new Error('register failed');
      // The standby sees the active runner's progress too: read-your-writes works in every process.
      await second.waitFor(registered.position, { timeoutMs: 10_000 });
      await first.waitFor(registered.position, { timeoutMs: 10_000 });
      const active = [first, second].filter((set) => set.runner('credits').isActive);
      expect(active).toHaveLength(1);
      expect(first.runner('credits').isActive).toBe(true);

      await first.stop();
      const granted = await users.execute(
        4242,
        { type: 'GrantCredits', amount: 5, reason: 'x', grantId: 'g' },
        { commandId: randomUUID(), actor: admin },
      );
      if (!granted.ok || !granted.position) throw new Error('grant failed');
      await second.waitFor(granted.position, { timeoutMs: 10_000 });
      expect(second.runner('credits').isActive).toBe(true);
      const balance = await secondProcess.db
        .selectFrom('credit_balances')
        .select('balance')
        .where('user_id', '=', '4242')
        .executeTakeFirstOrThrow();
      expect(balance.balance).toBe(15);
      const ledger = await secondProcess.db
        .selectFrom('credit_ledger')
        .select('event_id')
        .where('user_id', '=', '4242')
        .execute();
      expect(ledger).toHaveLength(2);
    } finally {
      await first.stop();
      await second.stop();
    }
  });

  it('a lock that arrives after its runner was stopped is let go, so a rebuild can take it', async () => {
    // The connection for the lock is still being made when the service stops: the runner has
    // stopped listening, so the lock it then gets must be released, not held by an idle connection.
    let arrive!: () => void;
    const arrived = new Promise<void>((resolve) => (arrive = resolve));
    const slowLock = {
      tryAcquire: async (name: string) => {
        const lock = await secondProcess.lock.tryAcquire(name);
        await arrived;
        return lock;
      },
    };
    const set = new ProjectionSet({
      store: world.store,
      log: silentLogger,
      projections: [creditsProjection],
      pollIntervalMs: 50,
      standbyRetryMs: 100,
      readModels: { ...secondProcess, lock: slowLock, close: () => secondProcess.close() },
    });
    set.start();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await set.stop();
    arrive();
    let lock = await world.readModels.lock.tryAcquire('credits');
    for (let attempt = 0; !lock && attempt < 20; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      lock = await world.readModels.lock.tryAcquire('credits');
    }
    expect(lock).toBeDefined();
    await lock?.release();
    expect(set.runner('credits').isActive).toBe(false);
  });
});
