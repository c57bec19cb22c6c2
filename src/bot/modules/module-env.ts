import type { InlineKeyboard } from 'grammy';
import type { ActionRegistry } from '../actions.js';
import type { Language } from '../../domain/events/values.js';
import { backgroundClipLimit } from '../../domain/user/background-clip.js';
import type { AwaitedInputKind } from '../../domain/events/values.js';
import type { BotContext } from '../bot-context.js';
import type { BotDeps } from '../bot-deps.js';
import type { CallbackKind, CallbackOf } from '../callback-data.js';
import { t, type Messages } from '../i18n/index.js';
import { isCommandMessage } from '../middleware/guards.js';
import type { TokenBuckets } from '../middleware/rate-limit.js';
import type { ScreenRegistry } from '../screens.js';

/** What every module gets besides the update: dependencies and a few process-wide caches. */
export interface ModuleEnv {
  readonly deps: BotDeps;
  readonly screens: ScreenRegistry;
  /** The button handlers, looked up by the kind of the pressed button's data. */
  readonly actions: ActionRegistry;
  /** For downloading user uploads: `${apiRoot}/file/bot${token}/${file_path}`. */
  readonly telegram: { readonly apiRoot: string; readonly token: string };
  /** Telegram file ids of media already uploaded once (catalog photos, previews, examples). */
  readonly fileIds: Map<string, string>;
  /** The language of messages to the admin chat. */
  readonly adminLanguage: Language;
  /** Per-admin rate limit of admin commands. */
  readonly adminBuckets: TokenBuckets;
}

export const SCRIPT_MAX_CHARS = 1000;
export const FEEDBACK_MAX_CHARS = 2000;
/** The clip limit as users are told it; the domain's `clipFits` adds the tolerance. */
export const BACKGROUND_MAX_SEC = backgroundClipLimit.labelSec;
export const BACKGROUND_MAX_BYTES = 20 * 1024 * 1024;

/** Runs `handler` for buttons of one kind (see ActionRegistry); other updates pass on. */
export function onAction<K extends CallbackKind>(
  env: ModuleEnv,
  kind: K,
  handler: (ctx: BotContext, action: CallbackOf<K>) => Promise<void>,
): void {
  env.actions.define(kind, handler);
}

/** A plain (non-command) message while the user's state says this input is awaited. */
export const awaiting =
  (kind: AwaitedInputKind) =>
  (ctx: BotContext): boolean =>
    ctx.message !== undefined &&
    ctx.scope.state.awaitedInput === kind &&
    !isCommandMessage(ctx.message);

export function adminChatId(env: ModuleEnv): number | undefined {
  const raw = env.deps.config.ADMIN_FEEDBACK_CHAT_ID;
  return raw === undefined ? undefined : Number(raw);
}

export const adminMessages = (env: ModuleEnv): Messages => t(env.adminLanguage);

/**
 * Sends to the admin chat, or to every admin privately when no admin chat is configured. Returns
 * how many chats got it; failures are logged, never thrown at the user.
 */
export async function notifyAdmins(
  ctx: BotContext,
  env: ModuleEnv,
  text: string,
  keyboard?: InlineKeyboard,
): Promise<number> {
  const chatId = adminChatId(env);
  const targets = chatId !== undefined ? [chatId] : env.deps.config.ADMIN_IDS;
  let delivered = 0;
  for (const target of targets) {
    try {
      await ctx.api.sendMessage(target, text, {
        parse_mode: 'HTML',
        ...(keyboard ? { reply_markup: keyboard } : {}),
      });
      delivered += 1;
    } catch (error) {
      env.deps.log.warn({ err: error, chatId: target }, 'could not notify the admins');
    }
  }
  return delivered;
}

/** Waits (briefly) until the read models have caught up with everything written so far. */
export async function readYourWrites(env: ModuleEnv, timeoutMs = 2000): Promise<void> {
  try {
    const head = await env.deps.store.headPosition();
    await env.deps.projections.waitFor(head, { timeoutMs });
  } catch (error) {
    env.deps.log.debug({ err: error }, 'read models lag behind; rendering what they have');
  }
}
