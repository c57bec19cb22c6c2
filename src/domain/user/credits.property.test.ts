import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { fold } from '../decider.js';
import type { UserEvent } from '../events/user-events.js';
import { validateEvent } from '../events/catalog.js';
import type { UserCommand } from './commands.js';
import { userDecider } from './user-decider.js';

const start: UserEvent[] = [
  {
    type: 'UserRegistered',
    data: { telegramId: 1, username: null, firstName: null, language: 'en' },
  },
  { type: 'CreditsGranted', data: { amount: 3, reason: 'welcome', grantId: 'welcome' } },
  { type: 'FormatSelected', data: { format: 'talking_head' } },
  {
    type: 'CharacterSelected',
    data: { characterId: 'c', gender: 'male', age: '30', imageKey: 'c.png' },
  },
  { type: 'VoiceSelected', data: { voiceId: 'v', provider: 'p' } },
];

// A small id pool makes collisions (reused spend and generation ids, repeated refunds) frequent.
const id = fc.constantFrom('a', 'b', 'c', 'd');
const amount = fc.integer({ min: -1, max: 8 });

const command: fc.Arbitrary<UserCommand> = fc.oneof(
  fc.record({
    type: fc.constant('GrantCredits' as const),
    amount,
    reason: fc.constant('grant'),
    grantId: id,
  }),
  fc.record({
    type: fc.constant('RevokeCredits' as const),
    amount,
    reason: fc.constant('revoke'),
    revokeId: id,
  }),
  fc.record({
    type: fc.constant('SpendCredits' as const),
    amount,
    reason: fc.constant('spend'),
    spendId: id,
  }),
  fc.record({
    type: fc.constant('RefundCredits' as const),
    spendId: id,
    reason: fc.constant('refund'),
  }),
  fc.record({
    type: fc.constant('RequestGeneration' as const),
    generationId: id,
    cost: fc.integer({ min: 0, max: 4 }),
  }),
  fc.record({
    type: fc.constant('WriteScript' as const),
    text: fc.constant('Hello'),
    maxLength: fc.constant(100),
  }),
);

const CREDIT_REJECTIONS = new Set([
  'invalid_amount',
  'insufficient_credits',
  'duplicate_spend',
  'unknown_spend',
  'already_refunded',
  'draft_incomplete',
  'duplicate_generation',
]);

describe('user credits, for any sequence of commands', () => {
  test.prop([fc.array(command, { minLength: 5, maxLength: 60, size: 'large' })], { numRuns: 300 })(
    'keep the balance non-negative, equal to the ledger, and refund each spend at most once',
    (commands) => {
      let state = fold(userDecider, start);
      const accepted: UserEvent[] = [...start];
      for (const cmd of commands) {
        const decision = userDecider.decide(cmd, state);
        if (!decision.ok) {
          expect(CREDIT_REJECTIONS).toContain(decision.rejection.code);
          continue;
        }
        for (const event of decision.events) validateEvent(event);
        accepted.push(...decision.events);
        state = fold(userDecider, decision.events, state);
        expect(state.balance).toBeGreaterThanOrEqual(0);
      }

      let ledger = 0;
      const spent = new Map<string, number>();
      const refunded = new Set<string>();
      for (const event of accepted) {
        switch (event.type) {
          case 'CreditsGranted':
            ledger += event.data.amount;
            break;
          case 'CreditsRevoked':
            ledger -= event.data.amount;
            break;
          case 'CreditsSpent':
            expect(spent.has(event.data.spendId)).toBe(false);
            spent.set(event.data.spendId, event.data.amount);
            ledger -= event.data.amount;
            break;
          case 'CreditsRefunded':
            expect(refunded.has(event.data.spendId)).toBe(false);
            expect(spent.get(event.data.spendId)).toBe(event.data.amount);
            refunded.add(event.data.spendId);
            ledger += event.data.amount;
            break;
          default:
            break;
        }
        expect(ledger).toBeGreaterThanOrEqual(0);
      }
      expect(state.balance).toBe(ledger);
      expect(fold(userDecider, accepted).balance).toBe(ledger);
      // Every generation was paid for in the same decision, under its own id.
      for (const generationId of state.generationIds) expect(spent.has(generationId)).toBe(true);
    },
  );
});
