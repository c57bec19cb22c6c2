import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyDomainEvent } from '../../domain/events/catalog.js';
import { projectionSpec, userEvent } from '../../testing/projection-spec.js';
import { creditsProjection } from './credits-projection.js';

const granted = (amount: number, grantId: string, reason = 'welcome'): AnyDomainEvent => ({
  type: 'CreditsGranted',
  data: { amount, reason, grantId },
});
const spent = (amount: number, spendId: string, generationId: string | null): AnyDomainEvent => ({
  type: 'CreditsSpent',
  data: { amount, reason: 'generation', spendId, generationId },
});
const refunded = (
  amount: number,
  spendId: string,
  generationId: string | null,
): AnyDomainEvent => ({
  type: 'CreditsRefunded',
  data: { amount, reason: 'generation_failed', spendId, generationId },
});
const revoked = (amount: number, revokeId: string): AnyDomainEvent => ({
  type: 'CreditsRevoked',
  data: { amount, reason: 'abuse', revokeId },
});

describe('credits projection (PGlite)', () => {
  const spec = projectionSpec(creditsProjection);
  beforeAll(spec.open);
  afterAll(spec.close);

  it('a grant opens a balance and one ledger row', () =>
    spec
      .given()
      .when(userEvent(42, granted(10, 'welcome-42')))
      .then({
        credit_balances: [
          { user_id: '42', balance: 10, granted: 10, spent: 0, refunded: 0, revoked: 0 },
        ],
        credit_ledger: [
          {
            user_id: '42',
            kind: 'grant',
            delta: 10,
            balance_after: 10,
            reason: 'welcome',
            operation_id: 'welcome-42',
            generation_id: null,
          },
        ],
      }));

  it('spend, refund and revoke move the balance, each ledger row with the balance after it', () =>
    spec
      .given(userEvent(42, granted(10, 'welcome-42')))
      .when(
        userEvent(42, spent(3, 'spend-1', 'gen-1')),
        userEvent(42, refunded(3, 'spend-1', 'gen-1'), {
          actor: { kind: 'system', id: 'pipeline' },
        }),
        userEvent(42, spent(3, 'spend-2', 'gen-2')),
        userEvent(42, revoked(2, 'revoke-1'), { actor: { kind: 'admin', id: '7' } }),
      )
      .then(async ({ rows }) => {
        expect(await rows('credit_balances')).toMatchObject([
          { user_id: '42', balance: 5, granted: 10, spent: 6, refunded: 3, revoked: 2 },
        ]);
        expect(await rows('credit_ledger', 'global_position')).toMatchObject([
          { kind: 'grant', delta: 10, balance_after: 10, actor_kind: 'user', actor_id: '42' },
          {
            kind: 'spend',
            delta: -3,
            balance_after: 7,
            generation_id: 'gen-1',
            operation_id: 'spend-1',
          },
          {
            kind: 'refund',
            delta: 3,
            balance_after: 10,
            actor_kind: 'system',
            actor_id: 'pipeline',
            operation_id: 'spend-1',
          },
          { kind: 'spend', delta: -3, balance_after: 7, generation_id: 'gen-2' },
          {
            kind: 'revoke',
            delta: -2,
            balance_after: 5,
            actor_kind: 'admin',
            actor_id: '7',
            reason: 'abuse',
          },
        ]);
      }));

  it('users are kept apart', () =>
    spec
      .given(userEvent(1, granted(10, 'w-1')), userEvent(2, granted(10, 'w-2')))
      .when(userEvent(2, spent(4, 's-2', null)))
      .then({
        credit_balances: [
          { user_id: '1', balance: 10, spent: 0 },
          { user_id: '2', balance: 6, spent: 4 },
        ],
      }));

  it('the ledger keeps the domain time and the global position of each event', () =>
    spec
      .given()
      .when(
        userEvent(42, granted(5, 'w'), { at: '2026-05-04T10:00:00.000Z' }),
        userEvent(42, spent(1, 's', 'g'), { at: '2026-05-04T10:05:00.000Z' }),
      )
      .then(async ({ rows }) => {
        const ledger = await rows('credit_ledger', 'global_position');
        expect(
          ledger.map((row) => [row.global_position, (row.created_at as Date).toISOString()]),
        ).toEqual([
          ['1', '2026-05-04T10:00:00.000Z'],
          ['2', '2026-05-04T10:05:00.000Z'],
        ]);
        expect((await rows('credit_balances'))[0]?.updated_at).toEqual(
          new Date('2026-05-04T10:05:00.000Z'),
        );
      }));

  it('events of other kinds change nothing', () =>
    spec
      .given(
        userEvent(42, {
          type: 'UserRegistered',
          data: { telegramId: 42, username: null, firstName: 'Ann', language: 'en' },
        }),
      )
      .when(userEvent(42, { type: 'LanguageChanged', data: { language: 'ru' } }))
      .then({ credit_balances: [], credit_ledger: [] }));
});
