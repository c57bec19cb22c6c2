import Fastify from 'fastify';
import { Bot, webhookCallback } from 'grammy';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { BotContext } from '../bot/index.js';
import { startTelegramEmulator, type TelegramEmulator } from '../dev/telegram-emulator/index.js';
import {
  ALLOWED_UPDATES,
  fastifyAdapter,
  startTelegramTransport,
  type TelegramTransport,
} from './telegram-transport.js';

// Telegram keeps the last allowed_updates a bot asked for; both modes must ask for edited messages
// explicitly, or an edited script would never reach the bot.

const log = pino({ level: 'silent' });
let cleanup: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function setUp(): Promise<{
  emulator: TelegramEmulator;
  bot: Bot<BotContext>;
  edits: string[];
}> {
  const emulator = await startTelegramEmulator();
  cleanup.push(() => emulator.close());
  const bot = new Bot<BotContext>(emulator.token, {
    client: { apiRoot: emulator.apiRoot },
    botInfo: emulator.botInfo,
  });
  const edits: string[] = [];
  bot.on('edited_message:text', (ctx) => {
    edits.push(ctx.editedMessage.text);
  });
  return { emulator, bot, edits };
}

describe('telegram transport: allowed updates', () => {
  it('lists edited messages (and the rest the bot handles)', () => {
    expect(ALLOWED_UPDATES).toEqual(
      expect.arrayContaining([
        'message',
        'edited_message',
        'callback_query',
        'my_chat_member',
        'pre_checkout_query',
      ]),
    );
  });

  it('long polling asks for them, replacing a narrower list a previous deployment left', async () => {
    const { emulator, bot, edits } = await setUp();
    emulator.state.polling.allowedUpdates = ['message', 'callback_query'];
    const http = Fastify();
    const transport: TelegramTransport = await startTelegramTransport(bot, { http, log });
    cleanup.push(() => transport.stop());
    const user = emulator.user({ id: 501 });
    const sent = await user.sendText('first draft');
    await user.editText(sent.message?.message_id ?? 0, 'second draft');
    await expect.poll(() => edits, { timeout: 5000 }).toEqual(['second draft']);
    expect(emulator.state.polling.allowedUpdates).toEqual([...ALLOWED_UPDATES]);
  });

  it('the webhook is set with them', async () => {
    const { emulator, bot } = await setUp();
    const http = Fastify();
    cleanup.push(() => http.close());
    await startTelegramTransport(bot, {
      webhookUrl: 'http://127.0.0.1:9/telegram/webhook',
      secretToken: 'secret-1',
      http,
      log,
    });
    expect(emulator.state.webhook.current()?.allowedUpdates).toEqual([...ALLOWED_UPDATES]);
  });
});

describe('telegram transport: a poller pushed out by another', () => {
  it('a 409 from a second long poll on the same token is logged, not an unhandled rejection', async () => {
    const uncaught: unknown[] = [];
    const onError = (error: unknown) => uncaught.push(error);
    process.on('unhandledRejection', onError);
    process.on('uncaughtException', onError);
    // grammY's runner also prints the failed fetch to the console; keep the test output clean.
    const consoleError = console.error;
    console.error = () => undefined;
    try {
      const { emulator, bot } = await setUp();
      const other = new Bot<BotContext>(emulator.token, {
        client: { apiRoot: emulator.apiRoot },
        botInfo: emulator.botInfo,
      });
      const errors: string[] = [];
      const recording = {
        ...log,
        error: (entry: unknown, message?: string) => void errors.push(message ?? String(entry)),
      } as unknown as typeof log;
      const first = await startTelegramTransport(bot, { http: Fastify(), log: recording });
      cleanup.push(() => first.stop());
      const second = await startTelegramTransport(other, { http: Fastify(), log });
      cleanup.push(() => second.stop());
      await expect
        .poll(() => errors, { timeout: 10_000 })
        .toEqual([expect.stringContaining('long polling stopped')]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(uncaught).toEqual([]);
    } finally {
      console.error = consoleError;
      process.off('unhandledRejection', onError);
      process.off('uncaughtException', onError);
    }
  });
});

describe('telegram transport: webhook replies', () => {
  it('a reply after the webhook was answered (a slow update) fails, and the call goes as a request', async () => {
    const emulator = await startTelegramEmulator();
    cleanup.push(() => emulator.close());
    const bot = new Bot<BotContext>(emulator.token, {
      client: {
        apiRoot: emulator.apiRoot,
        canUseWebhookReply: (method) => method === 'answerCallbackQuery',
      },
      botInfo: emulator.botInfo,
    });
    const outcomes: string[] = [];
    bot.on('callback_query:data', async (ctx) => {
      // Past the webhook's deadline: the delivery was answered empty meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 300));
      try {
        await ctx.answerCallbackQuery();
        outcomes.push('in the reply');
      } catch {
        await ctx.answerCallbackQuery();
        outcomes.push('as a request');
      }
    });
    bot.command('start', (ctx) =>
      ctx.reply('Menu', {
        reply_markup: { inline_keyboard: [[{ text: 'Go', callback_data: 'go' }]] },
      }),
    );
    const http = Fastify();
    cleanup.push(() => http.close());
    const handle = webhookCallback(bot, fastifyAdapter, {
      secretToken: 'slow-secret',
      onTimeout: 'return',
      timeoutMilliseconds: 50,
    });
    http.post('/telegram/webhook', (request, reply) => handle(request, reply));
    const url = await http.listen({ host: '127.0.0.1', port: 0 });
    await bot.api.setWebhook(`${url}/telegram/webhook`, { secret_token: 'slow-secret' });

    const user = emulator.user({ id: 502 });
    await user.sendCommand('/start');
    await user.waitFor('Menu');
    await user.pressButton('Go');
    await expect.poll(() => outcomes, { timeout: 5000 }).toEqual(['as a request']);
    expect(emulator.calls('answerCallbackQuery').map((call) => [call.via, call.ok])).toEqual([
      ['request', true],
    ]);
  });
});
