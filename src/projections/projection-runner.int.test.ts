import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparePositions, parsePosition } from '../ports/event-store/position.js';
import { openPgWorld, silentLogger, type PgWorld } from '../testing/pg-world.js';
import { skipWithoutPostgres } from '../testing/postgres.js';
import { creditsProjection } from './definitions/credits-projection.js';
import { ProjectionRunner } from './projection-runner.js';

const skip = await skipWithoutPostgres('projection runner checkpoints (PostgreSQL)');

describe.skipIf(skip)('a runner scanning past events it does not handle (PostgreSQL)', () => {
  let world: PgWorld;

  beforeAll(async () => {
    world = await openPgWorld();
  }, 120_000);

  afterAll(async () => {
    await world?.close();
  });

  const checkpointRow = () =>
    world.readModels.db
      .selectFrom('projection_checkpoints')
      .select(['position', 'updated_at'])
      .where('name', '=', 'credits')
      .executeTakeFirst();

  it('is caught up at once in memory, and writes its checkpoint row at most once per interval', async () => {
    const runner = new ProjectionRunner({
      store: world.store,
      db: world.readModels.db,
      lock: world.readModels.lock,
      log: silentLogger,
      projection: creditsProjection,
      pollIntervalMs: 50,
      idleCheckpointMs: 5000,
    });
    runner.start();
    try {
      // A credit event: written with its batch, checkpoint and all.
      const granted = await world.store.appendToStream('user-77', [
        {
          id: randomUUID(),
          type: 'CreditsGranted',
          data: { amount: 5, reason: 'test', grantId: 'grant-1' },
          metadata: {},
        },
      ]);
      await runner.waitFor(granted.position, 10_000);
      const afterGrant = await checkpointRow();
      expect(
        comparePositions(parsePosition(afterGrant!.position), granted.position),
      ).toBeGreaterThanOrEqual(0);

      // Wizard clicks: nothing for the credits table.
      let last = granted.position;
      for (let i = 0; i < 20; i += 1) {
        last = (
          await world.store.appendToStream('user-77', [
            {
              id: randomUUID(),
              type: 'FormatSelected',
              data: { format: 'talking_head' },
              metadata: {},
            },
          ])
        ).position;
      }
      await runner.waitFor(last, 10_000);
      const soon = await checkpointRow();
      expect(comparePositions(parsePosition(soon!.position), last)).toBeLessThan(0);

      // Within the interval (plus a poll), the row catches up without any event of its own.
      const deadline = Date.now() + 10_000;
      let row = soon;
      while (Date.now() < deadline && comparePositions(parsePosition(row!.position), last) < 0) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        row = await checkpointRow();
      }
      expect(parsePosition(row!.position)).toEqual(last);
      const balance = await world.readModels.db
        .selectFrom('credit_balances')
        .select('balance')
        .where('user_id', '=', '77')
        .executeTakeFirst();
      expect(Number(balance?.balance)).toBe(5);
    } finally {
      await runner.stop();
    }
  }, 60_000);
});
