import { run, type RunnerHandle } from '@grammyjs/runner';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { webhookCallback, type Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { BotContext } from '../bot/index.js';
import type { Logger } from '../logging/logger.js';

/**
 * The updates the bot handles, asked for explicitly in both modes: Telegram keeps the last list a
 * bot asked for, so a list left over from an older deployment would otherwise silently withhold
 * edited messages (a script corrected after the confirmation), block/unblock notices, or the
 * pre-checkout queries without which every Stars checkout times out.
 */
export const ALLOWED_UPDATES = [
  'message',
  'edited_message',
  'callback_query',
  'my_chat_member',
  'pre_checkout_query',
] as const;

/**
 * grammY's fastify adapter, except that a webhook reply after the request was already answered
 * (the update outlived the webhook's deadline) fails instead of writing to a finished response:
 * the caller then sees the answer was not delivered.
 */
export const fastifyAdapter = (request: FastifyRequest, reply: FastifyReply) => ({
  update: request.body as Update,
  header: headerValue(request.headers['x-telegram-bot-api-secret-token']),
  end: () => void reply.send(''),
  respond: async (json: string) => {
    if (reply.sent) throw new Error('the webhook request was answered already');
    await reply.header('content-type', 'application/json').send(json);
  },
  unauthorized: () => void reply.code(401).send('secret token is wrong'),
  handlerReturn: undefined,
});

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export interface TelegramTransport {
  stop(): Promise<void>;
}

/**
 * Webhook when WEBHOOK_URL is set (Telegram's secret token checked by grammY, the update answered
 * within the deadline: slow work is detached by the bot and the pipeline), long polling otherwise.
 */
export async function startTelegramTransport(
  bot: Bot<BotContext>,
  options: {
    webhookUrl?: string | undefined;
    secretToken?: string | undefined;
    http: FastifyInstance;
    log: Logger;
  },
): Promise<TelegramTransport> {
  await bot.init();
  if (options.webhookUrl) {
    if (!options.secretToken)
      throw new Error('WEBHOOK_URL needs WEBHOOK_SECRET_TOKEN so forged updates are refused');
    const path = new URL(options.webhookUrl).pathname || '/telegram/webhook';
    const handle = webhookCallback(bot, fastifyAdapter, {
      secretToken: options.secretToken,
      onTimeout: 'return',
      timeoutMilliseconds: 9_000,
    });
    options.http.post(path, (request, reply) => handle(request, reply));
    await bot.api.setWebhook(options.webhookUrl, {
      secret_token: options.secretToken,
      drop_pending_updates: false,
      allowed_updates: [...ALLOWED_UPDATES],
    });
    options.log.info({ path }, 'telegram: webhook mode');
    return { stop: async () => undefined };
  }
  await bot.api.deleteWebhook();
  const runner: RunnerHandle = run(bot, {
    runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } },
  });
  // The runner gives up on 401 and 409 (another poller or a webhook on the same token) by rejecting
  // its task; unheard, that rejection is an unhandled error that ends the process (or a test run).
  runner
    .task()
    ?.catch((error: unknown) =>
      options.log.error(
        { err: error },
        'telegram: long polling stopped; this instance receives no updates',
      ),
    );
  options.log.info('telegram: long polling');
  return {
    async stop() {
      if (runner.isRunning()) await runner.stop();
    },
  };
}
