import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPGliteEventStore } from '../adapters/event-store/pglite/pglite-event-store.js';
import { userStream } from '../domain/events/streams.js';
import type { EventStore } from '../ports/event-store/event-store.js';
import { paymentCommandId, refundCommandId } from './stars-command-ids.js';
import { UserCommands } from './user-commands.js';

// Telegram may deliver one successful_payment to two instances at once, and an admin's refund may
// race Telegram's refunded_payment. Each handler here has its own cache, as separate processes do.
describe('Stars payments under duplicate delivery (PGlite)', () => {
  let store: EventStore;
  const user = 9_101;
  const actor = { kind: 'user' as const, id: String(user) };

  beforeAll(async () => {
    store = (await openPGliteEventStore()).store;
    const users = new UserCommands({ store });
    await users.execute(
      user,
      {
        type: 'RegisterUser',
        telegramId: user,
        username: null,
        firstName: 'R',
        language: 'en',
        welcomeCredits: 0,
        grantId: 'w',
      },
      { commandId: 'r', actor },
    );
    await users.execute(
      user,
      { type: 'IssueStarsInvoice', orderId: 'o1', packId: '10', credits: 10, stars: 50 },
      { commandId: 'i', actor },
    );
  });
  afterAll(() => store.close());

  it('two instances handling one payment grant its credits once', async () => {
    const payment = {
      type: 'ReceiveStarsPayment',
      chargeId: 'ch-race',
      orderId: 'o1',
      currency: 'XTR',
      totalAmount: 50,
    } as const;
    const outcomes = await Promise.all(
      [new UserCommands({ store }), new UserCommands({ store }), new UserCommands({ store })].map(
        (users) => users.execute(user, payment, { commandId: paymentCommandId('ch-race'), actor }),
      ),
    );
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    expect(outcomes.filter((outcome) => outcome.ok && !outcome.duplicate)).toHaveLength(1);
    const types = (await store.readStream(userStream(user))).map((event) => event.type);
    expect(types.filter((type) => type === 'StarsPaymentReceived')).toHaveLength(1);
    expect(types.filter((type) => type === 'CreditsGranted')).toHaveLength(1);
    expect((await new UserCommands({ store }).state(user)).balance).toBe(10);
  });

  it("an admin's refund racing Telegram's report of it refunds once", async () => {
    const outcomes = await Promise.all([
      new UserCommands({ store }).execute(
        user,
        {
          type: 'RefundStarsPayment',
          chargeId: 'ch-race',
          refundedBy: { kind: 'admin', adminId: 5 },
        },
        { commandId: refundCommandId('ch-race'), actor: { kind: 'admin', id: '5' } },
      ),
      new UserCommands({ store }).execute(
        user,
        {
          type: 'RefundStarsPayment',
          chargeId: 'ch-race',
          refundedBy: { kind: 'telegram_support' },
        },
        {
          commandId: refundCommandId('ch-race'),
          actor: { kind: 'system', id: 'telegram-support' },
        },
      ),
    ]);
    expect(outcomes.filter((outcome) => outcome.ok && !outcome.duplicate)).toHaveLength(1);
    const types = (await store.readStream(userStream(user))).map((event) => event.type);
    expect(types.filter((type) => type === 'StarsPaymentRefunded')).toHaveLength(1);
    expect(types.filter((type) => type === 'CreditsRevoked')).toHaveLength(1);
    expect((await new UserCommands({ store }).state(user)).balance).toBe(0);
  });
});
