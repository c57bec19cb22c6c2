import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService } from '../../src/app/service.js';
import { loadConfig } from '../../src/config/config.js';
import type {
  ChatMessage,
  SimulatedUser,
  TelegramEmulator,
} from '../../src/dev/telegram-emulator/index.js';
import type { RunningService } from '../../src/app/service.js';
import { userStream } from '../../src/domain/events/streams.js';
import { formatPosition } from '../../src/ports/event-store/position.js';
import { creditAudit } from '../../src/queries/credit-audit.js';
import { startLocalService, type LocalServiceWorld } from './local-service.js';

const ADMIN = 8_800_001;
const ADMIN_TOKEN = 'payments-e2e-admin-token-0123456789';
const PRE_CHECKOUT_DEADLINE_MS = 3000;

/**
 * Telegram Stars end to end: the real service (PGlite, projections, bot, HTTP API) against the
 * emulator speaking the payment flow — invoice, pre-checkout with its deadline, the charge, the
 * successful payment, refunds by an admin (bot and API) and by Telegram's support.
 */
describe('Telegram Stars payments end to end', () => {
  let world: LocalServiceWorld | undefined;
  let emulator: TelegramEmulator;
  let service: RunningService;
  const token = '987654322:E2E-payments-emulator-token-00000';

  beforeAll(async () => {
    world = await startLocalService({
      name: 'payments',
      token,
      env: { ADMIN_IDS: String(ADMIN), ADMIN_API_TOKENS: ADMIN_TOKEN, STARS_PACKS: '10:50,50:200' },
      emulator: { preCheckoutTimeoutMs: PRE_CHECKOUT_DEADLINE_MS },
    });
    ({ emulator, service } = world);
  }, 180_000);

  afterAll(async () => {
    await world?.close();
  });

  async function started(id: number): Promise<SimulatedUser> {
    const user = emulator.user({ id, firstName: `Payer${id}`, languageCode: 'en' });
    await user.sendCommand('/start');
    await user.waitFor('What would you like to do?', { timeoutMs: 20_000 });
    return user;
  }

  async function invoice(user: SimulatedUser, pack: string): Promise<ChatMessage> {
    await user.sendCommand('/credits');
    await user.waitFor('Buy credits with Telegram Stars', { timeoutMs: 10_000 });
    await user.pressButton(pack);
    return user.waitFor((message) => message.invoice !== undefined, { timeoutMs: 10_000 });
  }

  async function purchase(user: SimulatedUser, pack: string): Promise<string> {
    const paid = await user.payInvoice(await invoice(user, pack));
    if (paid.status !== 'paid') throw new Error(`purchase ended ${paid.status}`);
    await user.waitFor('Payment received', { timeoutMs: 10_000 });
    return paid.chargeId;
  }

  const api = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${service.httpUrl}/api/v1${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        'content-type': 'application/json',
        ...init.headers,
      },
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  const head = async () => encodeURIComponent(formatPosition(await service.store.headPosition()));

  it('a purchase grants the pack once, however often Telegram delivers it, and shows in the ledger, the API and the daily stats', async () => {
    const user = await started(3101);
    const bill = await invoice(user, '10 credits · 50 ⭐');
    expect(bill.invoice).toMatchObject({ currency: 'XTR', total_amount: 50 });
    const paid = await user.payInvoice(bill);
    expect(paid.status).toBe('paid');
    const chargeId = paid.status === 'paid' ? paid.chargeId : '';
    await user.waitFor('Payment received: 50 ⭐. +10 credits, balance: 20.', { timeoutMs: 10_000 });

    await emulator.redeliverSuccessfulPayment(chargeId);
    await emulator.redeliverSuccessfulPayment(chargeId);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const audit = await creditAudit(service.store, 3101);
    expect(audit.entries.map((entry) => [entry.type, entry.delta, entry.reason])).toEqual([
      ['CreditsGranted', 10, 'welcome'],
      ['CreditsGranted', 10, 'stars_purchase'],
    ]);
    const received = (await service.store.readStream(userStream(3101))).filter(
      (event) => event.type === 'StarsPaymentReceived',
    );
    expect(received).toHaveLength(1);
    expect(
      user.messages().filter((message) => (message.text ?? '').includes('Payment received')),
    ).toHaveLength(1);
    expect(emulator.starBalance()).toBe(50);

    const payments = await api(`/users/3101/payments?atPosition=${await head()}`);
    expect(payments.status).toBe(200);
    expect(payments.body.payments).toEqual([
      expect.objectContaining({ chargeId, credits: 10, stars: 50, refund: null }),
    ]);
    const today = new Date().toISOString().slice(0, 10);
    const stats = await api(`/stats/daily?from=${today}&to=${today}`);
    expect(stats.body.days[0].stars).toMatchObject({ payments: 1, revenue: 50, creditsSold: 10 });
  }, 120_000);

  it('refuses at pre-checkout and charges nothing: a tampered payload, another user’s order, an order paid already; an unanswered pre-checkout cancels', async () => {
    const owner = await started(3102);
    const stranger = await started(3103);
    const starsBefore = emulator.starBalance();
    const bill = await invoice(owner, '50 credits · 200 ⭐');
    const order = (await service.store.readStream(userStream(3102))).find(
      (event) => event.type === 'StarsInvoiceIssued',
    )?.data.orderId as string;

    expect(await owner.payInvoice(bill, { tamperPayload: 'o1:forged-order' })).toMatchObject({
      status: 'declined',
      errorMessage: expect.stringContaining('not valid for your account'),
    });
    const strangersBill = await invoice(stranger, '10 credits · 50 ⭐');
    expect(
      await stranger.payInvoice(strangersBill, { tamperPayload: `o1:${order}` }),
    ).toMatchObject({
      status: 'declined',
      errorMessage: expect.stringContaining('not valid for your account'),
    });

    // The bot's answer never reaches Telegram (every try dropped): the purchase is cancelled at the
    // deadline.
    emulator.injectFault('answerPreCheckoutQuery', { kind: 'drop-connection' }, 1000);
    try {
      expect((await owner.payInvoice(bill)).status).toBe('expired');
    } finally {
      emulator.state.faults.clear();
    }
    expect(emulator.starBalance()).toBe(starsBefore);
    expect(
      await service.store
        .readStream(userStream(3102))
        .then((events) => events.some((event) => event.type === 'StarsPaymentReceived')),
    ).toBe(false);

    // Paid once, the order refuses a second checkout (another invoice message naming it).
    expect((await owner.payInvoice(bill)).status).toBe('paid');
    await owner.waitFor('Payment received', { timeoutMs: 10_000 });
    expect(
      await owner.payInvoice(await invoice(owner, '10 credits · 50 ⭐'), {
        tamperPayload: `o1:${order}`,
      }),
    ).toMatchObject({
      status: 'declined',
      errorMessage: expect.stringContaining('paid already'),
    });
    expect(emulator.starBalance()).toBe(starsBefore + 200);
  }, 120_000);

  it('refunds: an admin from the bot and from the API, Telegram’s support on its own; each payment once, the balance never below zero', async () => {
    const user = await started(3104);
    const admin = emulator.user({ id: ADMIN, firstName: 'Admin', languageCode: 'en' });
    const first = await purchase(user, '10 credits · 50 ⭐');
    const second = await purchase(user, '50 credits · 200 ⭐');
    const third = await purchase(user, '10 credits · 50 ⭐');

    await admin.sendCommand('/refund', `3104 ${first}`);
    await admin.waitFor('Refunded 50 ⭐ to 3104; took back 10 credits. Balance: 70.', {
      timeoutMs: 10_000,
    });
    await user.waitFor(
      'Your payment of 50 ⭐ was refunded. 10 credits were taken back. Balance: 70.',
      { timeoutMs: 10_000 },
    );
    await admin.sendCommand('/refund', `3104 ${first}`);
    await admin.waitFor(`Payment ${first} is refunded already.`, { timeoutMs: 10_000 });

    await admin.sendCommand('/revoke', '3104 65 used up');
    await admin.waitFor('Revoked 65 from 3104. Balance: 5.', { timeoutMs: 10_000 });
    const byApi = await api(`/users/3104/payments/${second}/refund`, {
      method: 'POST',
      body: JSON.stringify({ adminId: ADMIN }),
    });
    expect(byApi).toEqual({
      status: 200,
      body: { refunded: true, stars: 200, creditsTakenBack: 5, balance: 0, duplicate: false },
    });
    const again = await api(`/users/3104/payments/${second}/refund`, {
      method: 'POST',
      body: JSON.stringify({ adminId: ADMIN }),
    });
    expect(again.status).toBe(409);

    await emulator.refundBySupport(third);
    await user.waitFor('Your payment of 50 ⭐ was refunded. Balance: 0.', { timeoutMs: 10_000 });

    const refunds = (await service.store.readStream(userStream(3104))).filter(
      (event) => event.type === 'StarsPaymentRefunded',
    );
    expect(
      refunds.map((event) => [
        event.data.chargeId,
        event.data.creditsTakenBack,
        (event.data.refundedBy as { kind: string }).kind,
      ]),
    ).toEqual([
      [first, 10, 'admin'],
      [second, 5, 'admin'],
      [third, 0, 'telegram_support'],
    ]);
    expect(
      emulator
        .starCharges()
        .filter((charge) => [first, second, third].includes(charge.chargeId))
        .every((charge) => charge.refund !== undefined),
    ).toBe(true);
    const audit = await creditAudit(service.store, 3104);
    expect(audit.balance).toBe(0);
    const listed = await api(`/users/3104/payments?atPosition=${await head()}`);
    expect(
      listed.body.payments.map((payment: { refund: { by: string } | null }) => payment.refund?.by),
    ).toEqual(['telegram_support', 'admin', 'admin']);
  }, 180_000);

  it('after the operator changes the packs, an older invoice is refused at pre-checkout: its pack gone, or its price changed; nothing charged', async () => {
    const user = await started(3105);
    const tenBill = await invoice(user, '10 credits · 50 ⭐');
    const fiftyBill = await invoice(user, '50 credits · 200 ⭐');
    const starsBefore = emulator.starBalance();

    // A redeploy with other packs, on the same data: 10 credits now cost 60 Stars, 50 are gone.
    await service.stop();
    const restarted = await startService(
      loadConfig({
        TELEGRAM_BOT_TOKEN: token,
        TELEGRAM_API_ROOT: emulator.apiRoot,
        DATA_DIR: join(world!.dir, 'service'),
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: '0',
        ADMIN_IDS: String(ADMIN),
        STARS_PACKS: '10:60,120:400',
      }),
      pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    );
    try {
      expect(await user.payInvoice(tenBill)).toMatchObject({
        status: 'declined',
        errorMessage: expect.stringContaining('price of this pack has changed'),
      });
      expect(await user.payInvoice(fiftyBill)).toMatchObject({
        status: 'declined',
        errorMessage: expect.stringContaining('no longer on sale'),
      });
      expect(emulator.starBalance()).toBe(starsBefore);
      const newBill = await invoice(user, '10 credits · 60 ⭐');
      expect(newBill.invoice?.total_amount).toBe(60);
      expect((await user.payInvoice(newBill)).status).toBe('paid');
      await user.waitFor('Payment received: 60 ⭐. +10 credits, balance: 20.', {
        timeoutMs: 10_000,
      });
      expect(
        (await restarted.store.readStream(userStream(3105))).filter(
          (event) => event.type === 'StarsPaymentReceived',
        ),
      ).toHaveLength(1);
    } finally {
      await restarted.stop();
    }
  }, 180_000);
});
