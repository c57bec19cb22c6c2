export {
  createBot,
  DEFAULT_ADMIN_RATE,
  DEFAULT_FLOOD_LIMIT,
  type CreateBotOptions,
} from './create-bot.js';
export type { BotConfig, BotDeps } from './bot-deps.js';
export type { BotContext } from './bot-context.js';
export { setBotCommands, commandList } from './modules/navigation.js';
export { TelegramNotifier, type TelegramNotifierOptions } from './telegram-notifier.js';
export { decodeCallback, encodeCallback, type CallbackAction } from './callback-data.js';
export type { RateLimit } from './middleware/rate-limit.js';
