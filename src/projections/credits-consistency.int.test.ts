import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserCommands } from '../commands/user-commands.js';
import type { UserCommand } from '../domain/user/commands.js';
import { START, maxPosition, type Position } from '../ports/event-store/position.js';
import { creditAudit } from '../queries/credit-audit.js';
import { openPgWorld, silentLogger, type PgWorld } from '../testing/pg-world.js';
import { skipWithoutPostgres } from '../testing/postgres.js';
import { creditsProjection } from './definitions/credits-projection.js';
import { ProjectionSet } from './projection-set.js';

const skip = await skipWithoutPostgres('credits consistency (PostgreSQL)');

const admin = { kind: 'admin' as const, id: '999' };
const COST = 1;

type Op =
  | { kind: 'grant'; amount: number }
  | { kind: 'revoke'; amount: number }
  | { kind: 'spend'; amount: number }
  | { kind: 'refund'; pick: number }
  | { kind: 'generate' };

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('grant' as const), amount: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constant('revoke' as const), amount: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constant('spend' as const), amount: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('refund' as const), pick: fc.nat() }),
  fc.constant({ kind: 'generate' as const }),
);

/** Sets up a user whose draft is complete, so generation requests can succeed. */
async function prepareUser(commands: UserCommands, telegramId: number): Promise<void> {
  const steps: UserCommand[] = [
    {
      type: 'RegisterUser',
      telegramId,
      username: null,
      firstName: 'P',
      language: 'en',
      welcomeCredits: 3,
      grantId: `welcome-${telegramId}`,
    },
    { type: 'SelectFormat', format: 'talking_head' },
    { type: 'ChooseCharacterGender', gender: 'female' },
    {
      type: 'SelectCharacter',
      characterId: 'f-young-1',
      gender: 'female',
      age: 'young',
      imageKey: 'catalog/f1.png',
    },
    { type: 'SelectVoice', voiceId: 'en-f', provider: 'espeak-ng' },
  ];
  for (const command of steps) {
    const outcome = await commands.execute(telegramId, command, {
      commandId: randomUUID(),
      actor: { kind: 'user', id: String(telegramId) },
    });
    expect(outcome.ok).toBe(true);
  }
}

describe.skipIf(skip)('credits: nothing is lost (PostgreSQL)', () => {
  let world: PgWorld;
  let projections: ProjectionSet;
  beforeAll(async () => {
    world = await openPgWorld();
    projections = new ProjectionSet({
      store: world.store,
      readModels: world.readModels,
      log: silentLogger,
      projections: [creditsProjection],
      pollIntervalMs: 50,
    });
    projections.start();
  });
  afterAll(async () => {
    await projections.stop();
    await world.close();
  });

  it('random interleavings from concurrent clients: balance never negative; grants − spends + refunds − revokes = projection = audit', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(opArbitrary, { minLength: 5, maxLength: 25 }), {
          minLength: 2,
          maxLength: 6,
        }),
        async (clients) => {
          run += 1;
          const users = [7_000_000 + run * 10 + 1, 7_000_000 + run * 10 + 2];
          // Read-your-writes waits for the positions the commands returned: the visible head can
          // lag
          // behind while unrelated transactions are still open.
          let last: Position = START;
          const track = (outcome: { ok: boolean; position?: Position | undefined }) => {
            if (outcome.ok && outcome.position) last = maxPosition(last, outcome.position);
          };
          const setup = new UserCommands({ store: world.store });
          for (const user of users) await prepareUser(setup, user);
          // Each client is a separate handler with its own cache, as separate processes would be.
          await Promise.all(
            clients.map(async (ops, clientIndex) => {
              const commands = new UserCommands({ store: world.store });
              for (const [opIndex, op] of ops.entries()) {
                const user = users[(clientIndex + opIndex) % users.length]!;
                const context = {
                  commandId: randomUUID(),
                  actor:
                    op.kind === 'generate' || op.kind === 'spend'
                      ? { kind: 'user' as const, id: String(user) }
                      : admin,
                };
                switch (op.kind) {
                  case 'grant':
                    track(
                      await commands.execute(
                        user,
                        {
                          type: 'GrantCredits',
                          amount: op.amount,
                          reason: 'prop',
                          grantId: context.commandId,
                        },
                        context,
                      ),
                    );
                    break;
                  case 'revoke':
                    track(
                      await commands.execute(
                        user,
                        {
                          type: 'RevokeCredits',
                          amount: op.amount,
                          reason: 'prop',
                          revokeId: context.commandId,
                        },
                        context,
                      ),
                    );
                    break;
                  case 'spend':
                    track(
                      await commands.execute(
                        user,
                        {
                          type: 'SpendCredits',
                          amount: op.amount,
                          reason: 'prop',
                          spendId: context.commandId,
                        },
                        context,
                      ),
                    );
                    break;
                  case 'refund': {
                    const state = await commands.state(user);
                    const open = Object.entries(state.spends).filter(
                      ([, spend]) => !spend.refunded,
                    );
                    const target = open[op.pick % Math.max(1, open.length)];
                    // Refunding what is already refunded must be refused, so pick either kind.
                    const spendId = target?.[0] ?? Object.keys(state.spends)[0] ?? 'nothing';
                    track(
                      await commands.execute(
                        user,
                        { type: 'RefundCredits', spendId, reason: 'prop' },
                        context,
                      ),
                    );
                    break;
                  }
                  case 'generate':
                    await commands.execute(
                      user,
                      { type: 'WriteScript', text: `Ad number ${opIndex}`, maxLength: 1000 },
                      { ...context, commandId: randomUUID() },
                    );
                    track(
                      await commands.execute(
                        user,
                        { type: 'RequestGeneration', generationId: context.commandId, cost: COST },
                        context,
                      ),
                    );
                    break;
                }
              }
            }),
          );
          await projections.waitFor(last, { timeoutMs: 20_000 });
          for (const user of users) {
            const audit = await creditAudit(world.store, user);
            const { granted, spent, refunded, revoked } = audit.totals;
            expect(audit.entries.every((entry) => entry.balanceAfter >= 0)).toBe(true);
            expect(audit.balance).toBe(granted - spent + refunded - revoked);
            const refundedSpends = audit.entries
              .filter((e) => e.type === 'CreditsRefunded')
              .map((e) => e.operationId);
            expect(new Set(refundedSpends).size).toBe(refundedSpends.length);
            const balance = await world.readModels.db
              .selectFrom('credit_balances')
              .selectAll()
              .where('user_id', '=', String(user))
              .executeTakeFirstOrThrow();
            expect(balance).toMatchObject({
              balance: audit.balance,
              granted,
              spent,
              refunded,
              revoked,
            });
            const ledger = await world.readModels.db
              .selectFrom('credit_ledger')
              .select(['event_id', 'delta', 'balance_after', 'actor_id', 'generation_id'])
              .where('user_id', '=', String(user))
              .orderBy('global_position')
              .execute();
            expect(ledger).toEqual(
              audit.entries.map((e) => ({
                event_id: e.eventId,
                delta: e.delta,
                balance_after: e.balanceAfter,
                actor_id: e.actor.id,
                generation_id: e.generationId,
              })),
            );
            const state = await new UserCommands({ store: world.store }).state(user);
            expect(state.balance).toBe(audit.balance);
          }
        },
      ),
      { numRuns: 12 },
    );
  });

  it('the audit names the admin, the reason and the generation of every change', async () => {
    const commands = new UserCommands({ store: world.store });
    const user = 7_999_001;
    await prepareUser(commands, user);
    await commands.execute(
      user,
      { type: 'GrantCredits', amount: 4, reason: 'top-up paid', grantId: 'g-1' },
      { commandId: randomUUID(), actor: admin },
    );
    await commands.execute(
      user,
      { type: 'WriteScript', text: 'Hello there', maxLength: 1000 },
      { commandId: randomUUID(), actor: { kind: 'user', id: String(user) } },
    );
    await commands.execute(
      user,
      { type: 'RequestGeneration', generationId: 'gen-1', cost: 1 },
      { commandId: randomUUID(), actor: { kind: 'user', id: String(user) } },
    );
    await commands.execute(
      user,
      { type: 'RefundCredits', spendId: 'gen-1', reason: 'generation failed' },
      { commandId: randomUUID(), actor: { kind: 'system', id: 'pipeline' } },
    );
    const audit = await creditAudit(world.store, user);
    expect(
      audit.entries.map((e) => [e.type, e.delta, e.reason, e.actor.kind, e.generationId]),
    ).toEqual([
      ['CreditsGranted', 3, 'welcome', 'user', null],
      ['CreditsGranted', 4, 'top-up paid', 'admin', null],
      ['CreditsSpent', -1, 'generation', 'user', 'gen-1'],
      ['CreditsRefunded', 1, 'generation failed', 'system', 'gen-1'],
    ]);
    expect(
      audit.entries.every((e, i, all) => i === 0 || e.globalPosition > all[i - 1]!.globalPosition),
    ).toBe(true);
  });
});
