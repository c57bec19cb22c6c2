import type { MiddlewareFn } from 'grammy';
import type { BotContext } from '../bot-context.js';

/** The kind of a Telegram update: `message`, `callback_query`, `edited_message`, … */
export function updateTypeOf(update: object): string {
  return Object.keys(update).find((key) => key !== 'update_id') ?? 'unknown';
}

/** Counts every update by type before anything can drop it (duplicates and floods included). */
export function countUpdates(count: (updateType: string) => void): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    try {
      count(updateTypeOf(ctx.update));
    } catch {
      // Metrics never stop an update.
    }
    await next();
  };
}
