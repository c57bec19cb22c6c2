import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { webhookCallback, type Bot } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelegramEmulator, type TelegramEmulator } from './index.js';
import { createSampleBot, fakePng } from './sample-bot.js';

const SECRET = 'hook-secret_42';

describe('telegram emulator with a webhook grammY bot', () => {
  let emulator: TelegramEmulator;
  let bot: Bot;
  let app: FastifyInstance;
  let webhookUrl: string;
  const receivedSecrets: Array<string | undefined> = [];
  let flakyCalls = 0;

  beforeAll(async () => {
    emulator = await startTelegramEmulator({ webhook: { retryDelaysMs: [50] } });
    bot = createSampleBot({
      apiRoot: emulator.apiRoot,
      token: emulator.token,
      adVideo: Buffer.from('ad'),
      adThumbnail: fakePng(2, 2),
    });
    bot.command('flaky', async (ctx) => {
      flakyCalls++;
      // The first delivery fails; Telegram — and the emulator — must deliver the update again.
      if (flakyCalls === 1) throw new Error('transient failure');
      await ctx.reply(`flaky handled on attempt ${flakyCalls}`);
    });
    await bot.init();

    app = Fastify();
    app.addHook('onRequest', async (request) => {
      const header = request.headers['x-telegram-bot-api-secret-token'];
      receivedSecrets.push(Array.isArray(header) ? header[0] : header);
    });
    app.post('/telegram', webhookCallback(bot, 'fastify', { secretToken: SECRET }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    webhookUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/telegram`;
    await bot.api.setWebhook(webhookUrl, { secret_token: SECRET });
  });

  afterAll(async () => {
    await emulator.close();
    await app.close();
  });

  it('delivers updates with the secret header and runs the keyboard flow', async () => {
    const alice = emulator.user({ id: 2001, firstName: 'Alice' });
    await alice.sendCommand('/start');
    const menu = await alice.waitFor('Pick a style');
    await alice.pressButton('Energetic');
    await alice.waitFor(
      (message) => message.messageId === menu.messageId && message.text === 'Style: energetic',
    );

    // The bot's reply can land before its HTTP answer to the webhook does.
    await expect.poll(() => emulator.webhookStats().pending).toBe(0);
    expect(receivedSecrets.length).toBeGreaterThanOrEqual(2);
    expect(receivedSecrets.every((secret) => secret === SECRET)).toBe(true);
    const stats = emulator.webhookStats();
    expect(stats).toMatchObject({ url: webhookUrl, failedAttempts: 0, pending: 0 });
    expect(stats.delivered).toBeGreaterThanOrEqual(2);
    expect(
      stats.attempts.every((attempt) => attempt.secretToken === SECRET && attempt.status === 200),
    ).toBe(true);
  });

  it('re-delivers an update the bot answered with a non-2xx status', async () => {
    const bob = emulator.user({ id: 2002, firstName: 'Bob' });
    const sent = await bob.sendCommand('/flaky');
    const reply = await bob.waitFor(/^flaky handled/);
    expect(reply.text).toBe('flaky handled on attempt 2');
    await expect.poll(() => emulator.webhookStats().pending).toBe(0);
    const attempts = emulator
      .webhookStats()
      .attempts.filter((attempt) => attempt.updateId === sent.update.update_id);
    expect(attempts.map((attempt) => attempt.status)).toEqual([500, 200]);
    const info = await bot.api.getWebhookInfo();
    expect(info).toMatchObject({
      url: webhookUrl,
      pending_update_count: 0,
      last_error_message: 'Wrong response from the webhook: 500 Internal Server Error',
    });
  });

  it('keeps retrying while the secret is wrong, then delivers once it is fixed', async () => {
    await bot.api.setWebhook(webhookUrl, { secret_token: 'not-the-secret' });
    const carol = emulator.user({ id: 2003, firstName: 'Carol' });
    await carol.sendCommand('/start');
    await expect
      .poll(() => emulator.webhookStats().lastErrorMessage, { timeout: 3000 })
      .toBe('Wrong response from the webhook: 401 Unauthorized');
    expect(carol.botMessages()).toHaveLength(0);

    await bot.api.setWebhook(webhookUrl, { secret_token: SECRET });
    await carol.waitFor('Pick a style');
  });

  it('refuses getUpdates while a webhook is set', async () => {
    await expect(bot.api.getUpdates()).rejects.toMatchObject({
      error_code: 409,
      description:
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    });
  });

  it('delivers a repeated update_id again, as Telegram does after a slow answer', async () => {
    const dave = emulator.user({ id: 2004, firstName: 'Dave' });
    const first = await dave.sendCommand('/start');
    await dave.waitFor('Pick a style');
    await dave.sendRaw(first.update);
    await expect.poll(() => dave.botMessages().length, { timeout: 3000 }).toBe(2);
  });
});
