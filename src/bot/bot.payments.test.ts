import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, SimulatedUser } from '../dev/telegram-emulator/index.js';
import type { StarsPack } from '../domain/user/stars-payments.js';
import { ADMIN_ID, BotWorld } from '../testing/bot/bot-world.js';

let world: BotWorld;

beforeAll(async () => {
  world = await BotWorld.open({ adminRate: { capacity: 50, refillPerSec: 5 } });
});

afterAll(async () => {
  await world?.close();
});

async function registered(id: number, languageCode = 'en'): Promise<SimulatedUser> {
  const user = world.user({ id, firstName: `Buyer${id}`, languageCode });
  await user.sendCommand('/start');
  await user.waitFor('UGC Studio');
  return user;
}

async function invoiceFor(user: SimulatedUser, button: string | RegExp): Promise<ChatMessage> {
  await user.sendCommand('/credits');
  await user.waitFor(/Telegram Stars/);
  await user.pressButton(button);
  return user.waitFor((message) => message.invoice !== undefined);
}

const setPacks = (packs: StarsPack[]) => {
  (world.config as { STARS_PACKS: readonly StarsPack[] }).STARS_PACKS = packs;
};

const creditEvents = async (id: number) =>
  (await world.events(id)).filter(
    (event) =>
      event.type === 'CreditsGranted' ||
      event.type === 'CreditsRevoked' ||
      event.type.startsWith('Stars'),
  );

describe('buying credits with Telegram Stars', () => {
  it('sells a pack: invoice in XTR, credits only on the successful payment, once however often it is delivered', async () => {
    const user = await registered(7001);
    const invoice = await invoiceFor(user, '10 credits · 50 ⭐');
    expect(invoice.invoice).toMatchObject({
      currency: 'XTR',
      total_amount: 50,
      title: '10 credits',
    });
    const issued = (await world.events(7001)).find((event) => event.type === 'StarsInvoiceIssued');
    expect(issued?.data).toMatchObject({ packId: '10', credits: 10, stars: 50 });
    expect(await world.eventTypes(7001)).not.toContain('StarsPaymentReceived');

    const paid = await user.payInvoice(invoice);
    expect(paid.status).toBe('paid');
    await user.waitFor('Payment received: 50 ⭐. +10 credits, balance: 20.');
    const chargeId = paid.status === 'paid' ? paid.chargeId : '';

    await world.emulator.redeliverSuccessfulPayment(chargeId);
    await world.settle();
    const events = await creditEvents(7001);
    expect(events.map((event) => event.type)).toEqual([
      'CreditsGranted',
      'StarsInvoiceIssued',
      'StarsPaymentReceived',
      'CreditsGranted',
    ]);
    expect(events[2]?.data).toMatchObject({
      chargeId,
      orderId: issued?.data.orderId,
      credits: 10,
      stars: 50,
      currency: 'XTR',
    });
    expect((await world.users.state(7001)).balance).toBe(20);
    expect(
      user.botMessages().filter((message) => (message.text ?? '').includes('Payment received')),
    ).toHaveLength(1);
    expect(world.emulator.starBalance()).toBe(50);
  });

  it('refuses at pre-checkout, charging nothing: a tampered payload, another user’s order, a vanished pack, a changed price, a paid order', async () => {
    const owner = await registered(7002);
    const other = await registered(7003, 'ru');
    const stars = world.emulator.starBalance();
    const invoice = await invoiceFor(owner, '10 credits · 50 ⭐');

    const tampered = await owner.payInvoice(invoice, { tamperPayload: 'o1:made-up' });
    expect(tampered).toMatchObject({
      status: 'declined',
      errorMessage: expect.stringContaining('not valid for your account'),
    });
    const garbage = await owner.payInvoice(invoice, { tamperPayload: 'garbage' });
    expect(garbage.status).toBe('declined');

    const ownersOrder = (await world.events(7002)).find(
      (event) => event.type === 'StarsInvoiceIssued',
    )?.data.orderId as string;
    const stolen = await other.payInvoice(await invoiceFor(other, '10 кредитов · 50 ⭐'), {
      tamperPayload: `o1:${ownersOrder}`,
    });
    expect(stolen).toMatchObject({
      status: 'declined',
      errorMessage: expect.stringContaining('недействителен'),
    });

    setPacks([{ credits: 50, stars: 200 }]);
    try {
      expect(await owner.payInvoice(invoice)).toMatchObject({
        status: 'declined',
        errorMessage: expect.stringContaining('no longer on sale'),
      });
      setPacks([{ credits: 10, stars: 60 }]);
      expect(await owner.payInvoice(invoice)).toMatchObject({
        status: 'declined',
        errorMessage: expect.stringContaining('price of this pack has changed'),
      });
    } finally {
      setPacks([
        { credits: 10, stars: 50 },
        { credits: 50, stars: 200 },
      ]);
    }
    expect(world.emulator.starBalance()).toBe(stars);
    expect(await world.eventTypes(7002)).not.toContain('StarsPaymentReceived');

    // Paid once, the order refuses a second checkout (a second invoice message of one order).
    expect((await owner.payInvoice(invoice)).status).toBe('paid');
    await owner.waitFor('Payment received');
    const order = (await world.events(7002)).find((event) => event.type === 'StarsInvoiceIssued')
      ?.data.orderId as string;
    const again = await owner.payInvoice(await invoiceFor(owner, '10 credits · 50 ⭐'), {
      tamperPayload: `o1:${order}`,
    });
    expect(again).toMatchObject({
      status: 'declined',
      errorMessage: expect.stringContaining('paid already'),
    });
    expect(world.emulator.starBalance()).toBe(stars + 50);
  });

  it('a button for a pack no longer on offer shows the current packs instead of an invoice', async () => {
    const user = await registered(7004);
    await user.sendCommand('/credits');
    await user.waitFor('Buy credits with Telegram Stars');
    setPacks([{ credits: 50, stars: 200 }]);
    try {
      await user.pressButton('10 credits · 50 ⭐');
      await user.waitFor('This pack is no longer on sale');
      expect(user.botMessages().some((message) => message.invoice !== undefined)).toBe(false);
    } finally {
      setPacks([
        { credits: 10, stars: 50 },
        { credits: 50, stars: 200 },
      ]);
    }
  });
});

describe('refunds', () => {
  async function purchase(user: SimulatedUser, button: string): Promise<string> {
    const paid = await user.payInvoice(await invoiceFor(user, button));
    if (paid.status !== 'paid') throw new Error(`not paid: ${paid.status}`);
    await user.waitFor('Payment received');
    return paid.chargeId;
  }

  it('an admin refunds from the bot: Stars back, credits taken back as far as the balance holds them, once', async () => {
    const user = await registered(7011);
    const chargeId = await purchase(user, '50 credits · 200 ⭐');
    const admin = world.admin();
    await admin.sendCommand('/audit', '7011');
    await admin.waitFor((message) => (message.text ?? '').includes(chargeId));

    await admin.sendCommand('/refund', `7011 ${chargeId}`);
    await admin.waitFor('Refunded 200 ⭐ to 7011; took back 50 credits. Balance: 10.');
    await user.waitFor(
      'Your payment of 200 ⭐ was refunded. 50 credits were taken back. Balance: 10.',
    );
    await admin.sendCommand('/refund', `7011 ${chargeId}`);
    await admin.waitFor(`Payment ${chargeId} is refunded already.`);
    await admin.sendCommand('/refund', '7011 no-such-charge');
    await admin.waitFor('User 7011 has no payment no-such-charge.');

    const refunds = (await world.events(7011)).filter(
      (event) => event.type === 'StarsPaymentRefunded',
    );
    expect(refunds.map((event) => event.data)).toEqual([
      {
        chargeId,
        orderId: expect.any(String),
        stars: 200,
        creditsTakenBack: 50,
        refundedBy: { kind: 'admin', adminId: ADMIN_ID },
      },
    ]);
    expect(refunds[0]?.metadata.actor).toEqual({ kind: 'admin', id: String(ADMIN_ID) });
    const charge = world.emulator
      .starCharges()
      .find((candidate) => candidate.chargeId === chargeId);
    expect(charge?.refund).toBeDefined();
  });

  it('a refund through Telegram’s support is applied the same way, never below zero, and an admin’s later refund refunds nothing more', async () => {
    const user = await registered(7012);
    const chargeId = await purchase(user, '10 credits · 50 ⭐');
    await world.admin().sendCommand('/revoke', '7012 15 spent elsewhere');
    await world.admin().waitFor('Revoked 15 from 7012. Balance: 5.');

    await world.emulator.refundBySupport(chargeId);
    await user.waitFor(
      'Your payment of 50 ⭐ was refunded. 5 credits were taken back. Balance: 0.',
    );
    const refunded = (await world.events(7012)).find(
      (event) => event.type === 'StarsPaymentRefunded',
    );
    expect(refunded?.data).toMatchObject({
      chargeId,
      creditsTakenBack: 5,
      refundedBy: { kind: 'telegram_support' },
    });

    await world.admin().sendCommand('/refund', `7012 ${chargeId}`);
    await world.admin().waitFor(`Payment ${chargeId} is refunded already.`);
    await world.emulator.refundBySupport(chargeId).catch(() => undefined);
    await world.settle();
    expect(
      (await world.events(7012)).filter((event) => event.type === 'StarsPaymentRefunded'),
    ).toHaveLength(1);
    expect((await world.users.state(7012)).balance).toBe(0);
  });

  it('/paysupport lists the user’s payments with their charge ids; /terms shows the terms', async () => {
    const user = await registered(7013);
    const chargeId = await purchase(user, '10 credits · 50 ⭐');
    await user.sendCommand('/paysupport');
    const support = await user.waitFor('Payment support');
    expect(support.text).toContain(chargeId);
    await user.sendCommand('/terms');
    await user.waitFor('Terms of purchase');
  });
});
