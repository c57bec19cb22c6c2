import type { MiddlewareFn } from 'grammy';
import type { BotContext } from './bot-context.js';
import type { CallbackAction, CallbackKind, CallbackOf } from './callback-data.js';

type ActionHandler = (ctx: BotContext, action: CallbackAction) => Promise<void>;

/**
 * The button handlers of one bot, one per kind of callback data, defined by the modules. A press
 * goes straight to its handler by one lookup instead of passing every module's middleware in turn
 * (most updates are presses). One registry per bot instance.
 */
export class ActionRegistry {
  private readonly handlers = new Map<CallbackKind, ActionHandler>();

  define<K extends CallbackKind>(
    kind: K,
    handler: (ctx: BotContext, action: CallbackOf<K>) => Promise<void>,
  ): void {
    if (this.handlers.has(kind)) throw new Error(`button kind "${kind}" is handled twice`);
    this.handlers.set(kind, handler as ActionHandler);
  }

  /** Runs the handler of the pressed button's kind; other updates (and unknown kinds) pass on. */
  middleware(): MiddlewareFn<BotContext> {
    return (ctx, next) => {
      const action = ctx.callbackQuery?.data === undefined ? null : ctx.scope.action;
      const handle = action && this.handlers.get(action.kind);
      return handle ? handle(ctx, action) : next();
    };
  }
}
