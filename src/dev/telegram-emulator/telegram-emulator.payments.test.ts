import { setTimeout as sleep } from 'node:timers/promises';
import { Bot, GrammyError } from 'grammy';
import type { RefundedPayment, SuccessfulPayment, Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelegramEmulator, type TelegramEmulator } from './index.js';

/**
 * A tiny Stars shop: payloads starting "decline" are refused at pre-checkout, "ignore" ones are
 * never answered, everything else is accepted. It records what it was told.
 */
function createShopBot(emulator: TelegramEmulator): {
  bot: Bot;
  payments: SuccessfulPayment[];
  refunds: RefundedPayment[];
  paymentUpdates: Update[];
} {
  const bot = new Bot(emulator.token, { client: { apiRoot: emulator.apiRoot } });
  const payments: SuccessfulPayment[] = [];
  const refunds: RefundedPayment[] = [];
  const paymentUpdates: Update[] = [];
  bot.command('buy', (ctx) =>
    ctx.replyWithInvoice(
      '100 credits',
      'A pack of 100 credits',
      ctx.match === '' ? 'order:1' : ctx.match,
      'XTR',
      [{ label: '100 credits', amount: 50 }],
    ),
  );
  bot.on('pre_checkout_query', async (ctx) => {
    const payload = ctx.preCheckoutQuery.invoice_payload;
    if (payload.startsWith('ignore')) return;
    if (payload.startsWith('decline'))
      await ctx.answerPreCheckoutQuery(false, { error_message: 'This pack is sold out' });
    else await ctx.answerPreCheckoutQuery(true);
  });
  bot.on('message:successful_payment', async (ctx) => {
    payments.push(ctx.message.successful_payment);
    paymentUpdates.push(ctx.update);
    await ctx.reply(`Thanks: ${ctx.message.successful_payment.total_amount} Stars`);
  });
  bot.on('message:refunded_payment', (ctx) => {
    refunds.push(ctx.message.refunded_payment);
  });
  bot.catch(() => undefined);
  return { bot, payments, refunds, paymentUpdates };
}

async function started(bot: Bot): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    bot.start({ onStart: () => resolve() }).catch(reject);
  });
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

describe('telegram emulator: Telegram Stars payments with a grammY bot', () => {
  let emulator: TelegramEmulator;
  let shop: ReturnType<typeof createShopBot>;

  beforeAll(async () => {
    emulator = await startTelegramEmulator({ preCheckoutTimeoutMs: 400 });
    shop = createShopBot(emulator);
    await started(shop.bot);
  });

  afterAll(async () => {
    await shop.bot.stop();
    await emulator.close();
  });

  it('shows the invoice with a Pay button, charges on ok and delivers successful_payment', async () => {
    const alice = emulator.user({ id: 5001, firstName: 'Alice' });
    await alice.sendCommand('/buy');
    const invoice = await alice.waitFor('A pack of 100 credits');
    expect(invoice.invoice).toEqual({
      title: '100 credits',
      description: 'A pack of 100 credits',
      start_parameter: '',
      currency: 'XTR',
      total_amount: 50,
    });
    expect(invoice.inlineKeyboard).toEqual([[{ text: 'Pay ⭐50', pay: true }]]);
    expect(alice.transcript()).toContain(
      '[invoice "100 credits" ⭐50: "A pack of 100 credits"] [Pay ⭐50 (pay)]',
    );

    const outcome = await alice.payInvoice(invoice);
    if (outcome.status !== 'paid') throw new Error(`expected paid, got ${outcome.status}`);
    expect(outcome.chargeId).toMatch(/^stx/);
    expect(outcome.message.successfulPayment).toEqual({
      currency: 'XTR',
      total_amount: 50,
      invoice_payload: 'order:1',
      telegram_payment_charge_id: outcome.chargeId,
      provider_payment_charge_id: expect.any(String),
    });
    expect(outcome.message.sender).toBe('user');
    await alice.waitFor('Thanks: 50 Stars');
    expect(shop.payments.at(-1)).toEqual(outcome.message.successfulPayment);
    expect(emulator.preCheckoutAnswers().at(-1)).toMatchObject({
      ok: true,
      userId: 5001,
      invoicePayload: 'order:1',
    });
    expect(emulator.starTransactions().at(-1)).toEqual({
      id: outcome.chargeId,
      amount: 50,
      date: expect.any(Number),
      source: {
        type: 'user',
        transaction_type: 'invoice_payment',
        user: alice.user,
        invoice_payload: 'order:1',
      },
    });
    expect(emulator.starBalance()).toBe(50);
    expect(alice.transcript()).toContain(`[paid ⭐50 for "order:1", charge ${outcome.chargeId}]`);
    await expect(alice.payInvoice(invoice)).rejects.toThrow(/already paid/);
    await expect(alice.pressButton('Pay ⭐50')).rejects.toThrow(/is a Pay button: use payInvoice/);
  });

  it("declines with the bot's error message and charges nothing", async () => {
    const bob = emulator.user({ id: 5002, firstName: 'Bob' });
    await bob.sendCommand('/buy', 'decline:7');
    const invoice = await bob.waitFor((message) => message.invoice !== undefined);
    const balance = emulator.starBalance();
    const transactions = emulator.starTransactions().length;
    expect(await bob.payInvoice(invoice)).toEqual({
      status: 'declined',
      queryId: expect.any(String),
      errorMessage: 'This pack is sold out',
    });
    expect(emulator.starBalance()).toBe(balance);
    expect(emulator.starTransactions()).toHaveLength(transactions);
    expect(bob.messages().some((message) => message.successfulPayment !== undefined)).toBe(false);
    expect(bob.transcript()).toContain(
      'Checkouts:\n  ⭐50 for "decline:7" → declined: "This pack is sold out"',
    );
  });

  it('cancels the purchase when the bot does not answer in time, and refuses the late answer', async () => {
    const carol = emulator.user({ id: 5003, firstName: 'Carol' });
    await carol.sendCommand('/buy', 'ignore:1');
    const invoice = await carol.waitFor((message) => message.invoice !== undefined);
    const started = Date.now();
    const outcome = await carol.payInvoice(invoice.messageId);
    expect(outcome.status).toBe('expired');
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(emulator.starCharges().some((charge) => charge.user.id === 5003)).toBe(false);
    const late = await shop.bot.api
      .answerPreCheckoutQuery(outcome.queryId, true)
      .catch((error: unknown) => error);
    expect(late).toBeInstanceOf(GrammyError);
    expect(late).toMatchObject({
      error_code: 400,
      description:
        'Bad Request: query is too old and response timeout expired or query ID is invalid',
    });
    expect(carol.transcript()).toContain(
      '⭐50 for "ignore:1" → cancelled: the bot did not answer in time',
    );
  });

  it('lets a tampered client change the payload the pre-checkout query carries', async () => {
    const dave = emulator.user({ id: 5004, firstName: 'Dave' });
    await dave.sendCommand('/buy', 'order:4');
    const invoice = await dave.waitFor((message) => message.invoice !== undefined);
    const outcome = await dave.payInvoice(invoice, { tamperPayload: 'decline:forged' });
    expect(outcome).toMatchObject({ status: 'declined', errorMessage: 'This pack is sold out' });
    expect(emulator.preCheckoutAnswers().at(-1)).toMatchObject({
      userId: 5004,
      invoicePayload: 'decline:forged',
      ok: false,
    });
  });

  it('redelivers a successful_payment as a new update with the same message', async () => {
    const erin = emulator.user({ id: 5005, firstName: 'Erin' });
    await erin.sendCommand('/buy', 'order:5');
    const outcome = await erin.payInvoice(
      await erin.waitFor((message) => message.invoice !== undefined),
    );
    if (outcome.status !== 'paid') throw new Error(outcome.status);
    await until(() =>
      shop.payments.some((payment) => payment.telegram_payment_charge_id === outcome.chargeId),
    );
    await emulator.redeliverSuccessfulPayment(outcome.chargeId);
    await until(
      () =>
        shop.payments.filter((payment) => payment.telegram_payment_charge_id === outcome.chargeId)
          .length === 2,
    );
    const updates = shop.paymentUpdates.filter(
      (update) =>
        update.message?.successful_payment?.telegram_payment_charge_id === outcome.chargeId,
    );
    expect(updates[0]?.message?.message_id).toBe(updates[1]?.message?.message_id);
    expect(updates[0]?.update_id).not.toBe(updates[1]?.update_id);
    // Telegram redelivers; it does not charge again.
    expect(
      emulator.starCharges().filter((charge) => charge.chargeId === outcome.chargeId),
    ).toHaveLength(1);
  });

  it('refunds a payment once through refundStarPayment and tells the bot with refunded_payment', async () => {
    const frank = emulator.user({ id: 5006, firstName: 'Frank' });
    await frank.sendCommand('/buy', 'order:6');
    const outcome = await frank.payInvoice(
      await frank.waitFor((message) => message.invoice !== undefined),
    );
    if (outcome.status !== 'paid') throw new Error(outcome.status);
    const balance = emulator.starBalance();

    expect(await shop.bot.api.refundStarPayment(frank.user.id, outcome.chargeId)).toBe(true);
    expect(emulator.starBalance()).toBe(balance - 50);
    expect(emulator.starTransactions().at(-1)).toEqual({
      id: outcome.chargeId,
      amount: 50,
      date: expect.any(Number),
      receiver: {
        type: 'user',
        transaction_type: 'invoice_payment',
        user: frank.user,
        invoice_payload: 'order:6',
      },
    });
    expect(
      emulator.starCharges().find((charge) => charge.chargeId === outcome.chargeId)?.refund,
    ).toMatchObject({ by: 'bot' });
    await until(() =>
      shop.refunds.some((refund) => refund.telegram_payment_charge_id === outcome.chargeId),
    );
    expect(shop.refunds.at(-1)).toEqual({
      currency: 'XTR',
      total_amount: 50,
      invoice_payload: 'order:6',
      telegram_payment_charge_id: outcome.chargeId,
    });
    expect(frank.transcript()).toContain(`[refunded ⭐50 of charge ${outcome.chargeId}]`);

    await expect(
      shop.bot.api.refundStarPayment(frank.user.id, outcome.chargeId),
    ).rejects.toMatchObject({
      error_code: 400,
      description: 'Bad Request: CHARGE_ALREADY_REFUNDED',
    });
    await expect(
      shop.bot.api.refundStarPayment(frank.user.id, 'stxNoSuchCharge'),
    ).rejects.toMatchObject({ description: 'Bad Request: CHARGE_NOT_FOUND' });
    expect(emulator.starBalance()).toBe(balance - 50);
  });

  it('refuses to refund a charge to a user who did not pay it', async () => {
    const gina = emulator.user({ id: 5007, firstName: 'Gina' });
    await gina.sendCommand('/buy', 'order:7');
    const outcome = await gina.payInvoice(
      await gina.waitFor((message) => message.invoice !== undefined),
    );
    if (outcome.status !== 'paid') throw new Error(outcome.status);
    await expect(shop.bot.api.refundStarPayment(5001, outcome.chargeId)).rejects.toMatchObject({
      description: 'Bad Request: CHARGE_NOT_FOUND',
    });
    expect(
      emulator.starCharges().find((charge) => charge.chargeId === outcome.chargeId)?.refund,
    ).toBeUndefined();
  });

  it("delivers a refund made by Telegram's support as refunded_payment, after which the bot cannot refund it", async () => {
    const hank = emulator.user({ id: 5008, firstName: 'Hank' });
    await hank.sendCommand('/buy', 'order:8');
    const outcome = await hank.payInvoice(
      await hank.waitFor((message) => message.invoice !== undefined),
    );
    if (outcome.status !== 'paid') throw new Error(outcome.status);
    const balance = emulator.starBalance();
    await emulator.refundBySupport(outcome.chargeId);
    await until(() =>
      shop.refunds.some((refund) => refund.telegram_payment_charge_id === outcome.chargeId),
    );
    expect(emulator.starBalance()).toBe(balance - 50);
    expect(
      emulator.starCharges().find((charge) => charge.chargeId === outcome.chargeId)?.refund,
    ).toMatchObject({ by: 'support' });
    await expect(emulator.refundBySupport(outcome.chargeId)).rejects.toThrow(/already refunded/);
    await expect(
      shop.bot.api.refundStarPayment(hank.user.id, outcome.chargeId),
    ).rejects.toMatchObject({ description: 'Bad Request: CHARGE_ALREADY_REFUNDED' });
  });

  it('pays an invoice link; the payment lands in the private chat', async () => {
    const ivy = emulator.user({ id: 5009, firstName: 'Ivy' });
    const link = await shop.bot.api.createInvoiceLink(
      'Starter pack',
      '10 credits',
      'link:9',
      '',
      'XTR',
      [{ label: 'Starter', amount: 15 }],
    );
    expect(link).toMatch(/^https:\/\/t\.me\/\$[\w-]+$/);
    const outcome = await ivy.payInvoiceLink(link);
    if (outcome.status !== 'paid') throw new Error(outcome.status);
    expect(outcome.message).toMatchObject({
      chatId: 5009,
      successfulPayment: { total_amount: 15, invoice_payload: 'link:9' },
    });
    await ivy.waitFor('Thanks: 15 Stars');
    await expect(ivy.payInvoiceLink('https://t.me/$unknown')).rejects.toThrow(
      /not an invoice link/,
    );
  });

  it('lists transactions through getStarTransactions with offset and limit', async () => {
    const all = await shop.bot.api.getStarTransactions({});
    expect(all.transactions).toEqual(emulator.starTransactions());
    const page = await shop.bot.api.getStarTransactions({ offset: 1, limit: 2 });
    expect(page.transactions).toEqual(emulator.starTransactions().slice(1, 3));
  });
});

describe('telegram emulator: a bot whose allowed_updates leave out pre_checkout_query', () => {
  it('never sees the query, so the purchase expires as on Telegram', async () => {
    const emulator = await startTelegramEmulator({ preCheckoutTimeoutMs: 300 });
    const shop = createShopBot(emulator);
    await new Promise<void>((resolve, reject) => {
      shop.bot.start({ allowed_updates: ['message'], onStart: () => resolve() }).catch(reject);
    });
    try {
      const user = emulator.user({ id: 5101 });
      await user.sendCommand('/buy');
      const invoice = await user.waitFor((message) => message.invoice !== undefined);
      expect((await user.payInvoice(invoice)).status).toBe('expired');
      expect(emulator.preCheckoutAnswers()).toEqual([]);
      expect(emulator.starBalance()).toBe(0);
    } finally {
      await shop.bot.stop();
      await emulator.close();
    }
  });
});
