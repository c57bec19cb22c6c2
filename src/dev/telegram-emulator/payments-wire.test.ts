import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Message, StarAmount, StarTransactions, Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelegramEmulator, type TelegramEmulator } from './index.js';

type Envelope<T = unknown> =
  { ok: true; result: T } | { ok: false; error_code: number; description: string };

const STARS = {
  title: 'Pack',
  description: '100 credits',
  payload: 'order:1',
  currency: 'XTR',
  prices: [{ label: 'Pack', amount: 25 }],
};

describe('Telegram Stars on the wire', () => {
  let emulator: TelegramEmulator;
  let base: string;

  const call = async <T = unknown>(
    method: string,
    body: unknown = {},
  ): Promise<{ status: number; json: Envelope<T> }> => {
    const response = await fetch(`${base}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as Envelope<T> };
  };
  const result = async <T>(method: string, body: unknown = {}): Promise<T> => {
    const { json } = await call<T>(method, body);
    if (!json.ok) throw new Error(`${method}: ${json.description}`);
    return json.result;
  };
  const refusal = async (method: string, body: unknown): Promise<string> => {
    const { status, json } = await call(method, body);
    expect(status).toBe(400);
    return json.ok ? 'ok' : json.description;
  };
  /** Confirms everything queued so far and returns it. */
  const drain = async (allowedUpdates?: string[]): Promise<Update[]> => {
    const updates = await result<Update[]>('getUpdates', {
      timeout: 0,
      ...(allowedUpdates === undefined ? {} : { allowed_updates: allowedUpdates }),
    });
    const last = updates.at(-1);
    if (last !== undefined) await result('getUpdates', { offset: last.update_id + 1, timeout: 0 });
    return updates;
  };

  beforeAll(async () => {
    emulator = await startTelegramEmulator({ preCheckoutTimeoutMs: 300 });
    base = `${emulator.apiRoot}/bot${emulator.token}`;
  });

  afterAll(async () => {
    await emulator.close();
  });

  it('validates sendInvoice like the Bot API', async () => {
    const user = emulator.user({ id: 6001 });
    await user.sendText('hi');
    const invoice = (fields: Record<string, unknown>): Record<string, unknown> => ({
      chat_id: user.chatId,
      ...STARS,
      ...fields,
    });
    expect(await refusal('sendInvoice', invoice({ title: '' }))).toBe(
      'Bad Request: parameter "title" is required',
    );
    expect(await refusal('sendInvoice', invoice({ description: undefined }))).toBe(
      'Bad Request: parameter "description" is required',
    );
    expect(await refusal('sendInvoice', invoice({ payload: '' }))).toBe(
      'Bad Request: parameter "payload" is required',
    );
    expect(await refusal('sendInvoice', invoice({ currency: '' }))).toBe(
      'Bad Request: parameter "currency" is required',
    );
    expect(await refusal('sendInvoice', invoice({ prices: undefined }))).toBe(
      'Bad Request: parameter "prices" is required',
    );
    expect(await refusal('sendInvoice', invoice({ prices: '[{' }))).toBe(
      "Bad Request: can't parse prices JSON object",
    );
    expect(await refusal('sendInvoice', invoice({ prices: { label: 'x', amount: 1 } }))).toBe(
      'Bad Request: expected an Array of labeled prices',
    );
    expect(await refusal('sendInvoice', invoice({ prices: [] }))).toBe(
      'Bad Request: there must be at least one price',
    );
    expect(await refusal('sendInvoice', invoice({ prices: [{ label: '', amount: 1 }] }))).toBe(
      "Bad Request: can't parse labeled price: LabeledPrice label must be non-empty",
    );
    expect(await refusal('sendInvoice', invoice({ prices: [{ label: 'Free', amount: 0 }] }))).toBe(
      'Bad Request: total price must be positive',
    );
    expect(await refusal('sendInvoice', invoice({ payload: 'x'.repeat(129) }))).toBe(
      'Bad Request: INVOICE_PAYLOAD_INVALID',
    );
    expect(await refusal('sendInvoice', invoice({ title: 'x'.repeat(33) }))).toBe(
      'Bad Request: invoice title must be 1-32 characters long',
    );
    expect(await refusal('sendInvoice', invoice({ description: 'x'.repeat(256) }))).toBe(
      'Bad Request: invoice description must be 1-255 characters long',
    );
    // Stars invoices: exactly one price, no provider token, no tips.
    const twoPrices = [
      { label: 'a', amount: 1 },
      { label: 'b', amount: 2 },
    ];
    expect(await refusal('sendInvoice', invoice({ prices: twoPrices }))).toBe(
      'Bad Request: STARS_INVOICE_INVALID',
    );
    expect(await refusal('sendInvoice', invoice({ provider_token: '284685063:TEST:token' }))).toBe(
      'Bad Request: STARS_INVOICE_INVALID',
    );
    expect(await refusal('sendInvoice', invoice({ max_tip_amount: 5 }))).toBe(
      'Bad Request: STARS_INVOICE_INVALID',
    );
    expect(await refusal('sendInvoice', invoice({ currency: 'USD' }))).toBe(
      'Bad Request: PAYMENT_PROVIDER_INVALID',
    );
    expect(
      await refusal(
        'sendInvoice',
        invoice({ reply_markup: { inline_keyboard: [[{ text: 'Go', callback_data: 'go' }]] } }),
      ),
    ).toBe('Bad Request: BUTTON_TYPE_INVALID');
    expect(await refusal('sendInvoice', invoice({ chat_id: 6999 }))).toBe(
      'Bad Request: chat not found',
    );
    // 32 characters that are not ASCII are still 32 characters; 128 bytes of payload are allowed.
    await result('sendInvoice', invoice({ title: 'ё'.repeat(32), payload: 'p'.repeat(128) }));
    expect(user.botMessages()).toHaveLength(1);
  });

  it('sends an invoice from a form body, keeping a keyboard that leads with the Pay button', async () => {
    const user = emulator.user({ id: 6002 });
    await user.sendText('hi');
    const keyboard = {
      inline_keyboard: [
        [{ text: 'Pay 25 ⭐', pay: true }],
        [{ text: 'Terms', callback_data: 'terms' }],
      ],
    };
    const form = new URLSearchParams({
      chat_id: String(user.chatId),
      title: 'Pack',
      description: '100 credits',
      payload: 'order:2',
      provider_token: '',
      currency: 'XTR',
      prices: JSON.stringify([{ label: 'Pack', amount: '25' }]),
      start_parameter: 'pack-100',
      photo_url: 'https://example.com/pack.png',
      reply_markup: JSON.stringify(keyboard),
    });
    const sent = (await (
      await fetch(`${base}/sendInvoice`, { method: 'POST', body: form })
    ).json()) as Envelope<Message>;
    if (!sent.ok) throw new Error(sent.description);
    expect(sent.result.invoice).toEqual({
      title: 'Pack',
      description: '100 credits',
      start_parameter: 'pack-100',
      currency: 'XTR',
      total_amount: 25,
    });
    expect(sent.result.reply_markup).toEqual(keyboard);
    const shown = user.lastBotMessage();
    expect(shown?.inlineKeyboard).toEqual(keyboard.inline_keyboard);
    expect(shown?.sendOptions).toMatchObject({ photo_url: 'https://example.com/pack.png' });
  });

  it('answers the pre-checkout query once, with an error_message when refusing', async () => {
    const user = emulator.user({ id: 6003 });
    await user.sendText('hi');
    await drain([]);
    const sent = await result<Message>('sendInvoice', {
      chat_id: user.chatId,
      ...STARS,
      payload: 'order:3',
    });
    const paying = user.payInvoice(sent.message_id);
    const [update] = (await result<Update[]>('getUpdates', { timeout: 2 })).filter(
      (item) => item.pre_checkout_query !== undefined,
    );
    const query = update?.pre_checkout_query;
    expect(query).toEqual({
      id: expect.any(String),
      from: user.user,
      currency: 'XTR',
      total_amount: 25,
      invoice_payload: 'order:3',
    });
    const id = query?.id ?? '';
    expect(await refusal('answerPreCheckoutQuery', { pre_checkout_query_id: id, ok: false })).toBe(
      'Bad Request: parameter "error_message" is required',
    );
    expect(
      await result('answerPreCheckoutQuery', {
        pre_checkout_query_id: id,
        ok: false,
        error_message: 'Out of stock',
      }),
    ).toBe(true);
    const tooOld =
      'Bad Request: query is too old and response timeout expired or query ID is invalid';
    expect(await refusal('answerPreCheckoutQuery', { pre_checkout_query_id: id, ok: true })).toBe(
      tooOld,
    );
    expect(await refusal('answerPreCheckoutQuery', { pre_checkout_query_id: '42', ok: true })).toBe(
      tooOld,
    );
    expect(await refusal('answerPreCheckoutQuery', { ok: true })).toBe(tooOld);
    expect(await paying).toMatchObject({ status: 'declined', errorMessage: 'Out of stock' });
  });

  it('charges after an ok: the successful_payment update, the transaction and the balance', async () => {
    const user = emulator.user({ id: 6004, firstName: 'Payer' });
    await user.sendText('hi');
    await drain([]);
    const sent = await result<Message>('sendInvoice', {
      chat_id: user.chatId,
      ...STARS,
      payload: 'order:4',
    });
    const paying = user.payInvoice(sent.message_id);
    const queries = await result<Update[]>('getUpdates', { timeout: 2 });
    const id =
      queries.find((item) => item.pre_checkout_query !== undefined)?.pre_checkout_query?.id ?? '';
    expect(await result('answerPreCheckoutQuery', { pre_checkout_query_id: id, ok: true })).toBe(
      true,
    );
    const outcome = await paying;
    if (outcome.status !== 'paid') throw new Error(outcome.status);

    const updates = await drain();
    const payment = updates.find((item) => item.message?.successful_payment !== undefined)?.message;
    expect(payment).toMatchObject({
      from: user.user,
      chat: { id: user.chatId, type: 'private' },
      successful_payment: {
        currency: 'XTR',
        total_amount: 25,
        invoice_payload: 'order:4',
        telegram_payment_charge_id: outcome.chargeId,
      },
    });
    expect(payment?.successful_payment?.provider_payment_charge_id).toEqual(expect.any(String));
    const transactions = await result<StarTransactions>('getStarTransactions', {});
    expect(transactions.transactions.at(-1)).toMatchObject({
      id: outcome.chargeId,
      amount: 25,
      source: { type: 'user', user: { id: 6004 } },
    });
    expect(await result<StarAmount>('getMyStarBalance')).toEqual({
      amount: emulator.starBalance(),
    });
  });

  it('refunds once and names what it cannot refund', async () => {
    const user = emulator.user({ id: 6005 });
    await user.sendText('hi');
    await drain([]);
    const sent = await result<Message>('sendInvoice', {
      chat_id: user.chatId,
      ...STARS,
      payload: 'order:5',
    });
    const paying = user.payInvoice(sent.message_id);
    const queries = await result<Update[]>('getUpdates', { timeout: 2 });
    await result('answerPreCheckoutQuery', {
      pre_checkout_query_id: queries.find((item) => item.pre_checkout_query)?.pre_checkout_query
        ?.id,
      ok: true,
    });
    const outcome = await paying;
    if (outcome.status !== 'paid') throw new Error(outcome.status);
    await drain();

    expect(
      await refusal('refundStarPayment', { telegram_payment_charge_id: outcome.chargeId }),
    ).toBe('Bad Request: invalid user_id specified');
    expect(
      await refusal('refundStarPayment', {
        user_id: 'abc',
        telegram_payment_charge_id: outcome.chargeId,
      }),
    ).toBe('Bad Request: invalid user_id specified');
    expect(await refusal('refundStarPayment', { user_id: user.user.id })).toBe(
      'Bad Request: parameter "telegram_payment_charge_id" is required',
    );
    expect(
      await result('refundStarPayment', {
        user_id: user.user.id,
        telegram_payment_charge_id: outcome.chargeId,
      }),
    ).toBe(true);
    expect(
      await refusal('refundStarPayment', {
        user_id: user.user.id,
        telegram_payment_charge_id: outcome.chargeId,
      }),
    ).toBe('Bad Request: CHARGE_ALREADY_REFUNDED');
    expect(
      await refusal('refundStarPayment', {
        user_id: user.user.id,
        telegram_payment_charge_id: 'stxUnknown',
      }),
    ).toBe('Bad Request: CHARGE_NOT_FOUND');

    const refunds = (await drain()).filter((item) => item.message?.refunded_payment !== undefined);
    expect(refunds.map((item) => item.message?.refunded_payment)).toEqual([
      {
        currency: 'XTR',
        total_amount: 25,
        invoice_payload: 'order:5',
        telegram_payment_charge_id: outcome.chargeId,
      },
    ]);
  });

  it('lets allowed_updates without pre_checkout_query make purchases expire, and keeps the list when setWebhook omits it', async () => {
    const user = emulator.user({ id: 6006 });
    await user.sendText('hi');
    await drain(['message']);
    const sent = await result<Message>('sendInvoice', {
      chat_id: user.chatId,
      ...STARS,
      payload: 'order:6',
    });
    const outcome = await user.payInvoice(sent.message_id);
    expect(outcome.status).toBe('expired');
    expect(
      await refusal('answerPreCheckoutQuery', { pre_checkout_query_id: outcome.queryId, ok: true }),
    ).toBe('Bad Request: query is too old and response timeout expired or query ID is invalid');
    expect((await drain()).some((item) => item.pre_checkout_query !== undefined)).toBe(false);
    // A list naming no known update type counts as the default set, which has pre_checkout_query.
    await drain(['no_such_update']);
    const defaulted = user.payInvoice(sent.message_id);
    const query = (await result<Update[]>('getUpdates', { timeout: 2 })).find(
      (item) => item.pre_checkout_query !== undefined,
    );
    expect(query).toBeDefined();
    await result('answerPreCheckoutQuery', {
      pre_checkout_query_id: query?.pre_checkout_query?.id,
      ok: false,
      error_message: 'not now',
    });
    expect((await defaulted).status).toBe('declined');
    await drain(['MESSAGE']);

    // The bot's one allowed_updates setting: a webhook set without a list inherits ['message'].
    const hook = await webhookThatAnswersPreCheckout();
    try {
      await result('setWebhook', { url: hook.url });
      expect(await result<{ allowed_updates?: string[] }>('getWebhookInfo')).toMatchObject({
        allowed_updates: ['message'],
      });
      expect((await user.payInvoice(sent.message_id)).status).toBe('expired');
      expect(hook.queries).toEqual([]);

      // With pre_checkout_query allowed, the webhook's reply answers the query and the user pays.
      await result('setWebhook', {
        url: hook.url,
        allowed_updates: ['message', 'pre_checkout_query'],
      });
      const paid = await user.payInvoice(sent.message_id);
      expect(paid.status).toBe('paid');
      expect(hook.queries).toEqual([paid.queryId]);
    } finally {
      await result('deleteWebhook', { allowed_updates: [] });
      await result('getUpdates', { allowed_updates: [], timeout: 0 });
      await hook.close();
    }
  });
});

/**
 * A webhook that answers every pre-checkout query with ok in its HTTP reply, as Telegram allows.
 */
async function webhookThatAnswersPreCheckout(): Promise<{
  url: string;
  queries: string[];
  close: () => Promise<void>;
}> {
  const queries: string[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const update = JSON.parse(body) as Update;
      const query = update.pre_checkout_query;
      if (query === undefined) return response.writeHead(200).end();
      queries.push(query.id);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          method: 'answerPreCheckoutQuery',
          pre_checkout_query_id: query.id,
          ok: true,
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    queries,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
