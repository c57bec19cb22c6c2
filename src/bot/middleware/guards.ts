import type { Middleware, MiddlewareFn, NextFunction } from 'grammy';
import type { Message } from 'grammy/types';
import { initialUserState } from '../../domain/user/state.js';
import { Scope, type BotContext, type ScopeState } from '../bot-context.js';
import type { BotDeps } from '../bot-deps.js';
import { decodeCallback } from '../callback-data.js';
import type { ScreenRegistry } from '../screens.js';
import { languageFromCode, t } from '../i18n/index.js';
import { answer, mainMenuKeyboard, send, sendAnswer } from '../ui.js';
import { RecentSet, TokenBuckets, type RateLimit } from './rate-limit.js';

/** Drops an update_id seen recently: Telegram redelivers after timeouts and webhook errors. */
export function dedupeUpdates(capacity = 10_000): MiddlewareFn<BotContext> {
  const seen = new RecentSet<number>(capacity);
  return async (ctx, next) => {
    if (!seen.add(ctx.update.update_id)) return;
    await next();
  };
}

/**
 * Sets up the per-update scope with the sender's state and runs `handlers` in it. The state is
 * this process's copy of their stream when it has one (most updates then need no read: their
 * first command proves it current), else read from the stream. A copy found stale before anything
 * was shown or recorded (see `Scope`) runs the handlers once more, on the state read afresh.
 */
export function loadScope(
  deps: BotDeps,
  screens: ScreenRegistry,
  handlers: Middleware<BotContext>,
): MiddlewareFn<BotContext> {
  // Taken per update: a composer's middleware changes as handlers are added to it.
  const run: MiddlewareFn<BotContext> = (ctx, next) =>
    typeof handlers === 'function' ? handlers(ctx, next) : handlers.middleware()(ctx, next);
  return async (ctx, next) => {
    const from = ctx.from;
    const userId = from && !from.is_bot ? from.id : 0;
    // While the handlers run, nothing reaches the user from a scope not yet proven current.
    let handling = false;
    ctx.api.config.use(async (prev, method, payload, signal) => {
      if (handling && revealsState(method, payload)) await ctx.scope.verify();
      return prev(method, payload, signal);
    });
    let start: ScopeState =
      userId > 0 ? (cachedStart(deps, userId) ?? (await readStart(deps, userId))) : UNREGISTERED;
    let nextCalled = false;
    const once = async () => {
      if (nextCalled) return;
      nextCalled = true;
      await next();
    };
    try {
      for (;;) {
        // An answer chosen on a stale state is dropped with it: nothing was sent yet.
        ctx.scope = new Scope(
          deps,
          ctx.update.update_id,
          userId,
          from?.language_code,
          start,
          screens,
        );
        if (ctx.callbackQuery) ctx.scope.action = decodeCallback(ctx.callbackQuery.data);
        handling = true;
        try {
          await run(ctx, once);
        } catch (error) {
          if (!ctx.scope.stale) throw error;
        } finally {
          handling = false;
        }
        // A handler may have swallowed the StaleScopeError; the flag still says to start over.
        if (!ctx.scope.stale) return;
        deps.log.debug(
          { userId, updateId: ctx.update.update_id },
          'state behind the stream: the update starts over',
        );
        start = await readStart(deps, userId);
      }
    } finally {
      // A button always gets an answer, or the user's app shows a spinner for seconds. Given
      // last, it may travel in the webhook's reply: the update is acknowledged once all of it
      // is recorded, so a crash before that still has Telegram deliver it again.
      await sendAnswer(ctx);
    }
  };
}

/**
 * Whether a Bot API call can show the user anything of their state. Stopping a button's spinner
 * or showing "typing…" cannot, so a handler may do that first without a read of the stream.
 */
function revealsState(method: string, payload: unknown): boolean {
  if (method === 'sendChatAction') return false;
  if (method !== 'answerCallbackQuery') return true;
  const answer = payload as { text?: unknown; url?: unknown };
  return answer.text !== undefined || answer.url !== undefined;
}

const UNREGISTERED: ScopeState = { state: initialUserState, revision: -1n, verified: true };

function cachedStart(deps: BotDeps, userId: number): ScopeState | undefined {
  const cached = deps.users.cached(userId);
  return cached ? { ...cached, verified: false } : undefined;
}

async function readStart(deps: BotDeps, userId: number): Promise<ScopeState> {
  return { ...(await deps.users.load(userId)), verified: true };
}

/**
 * Per-user flood control: a burst past the bucket is dropped, with one "slow down" notice per
 * burst. Dropped updates change nothing.
 */
export function floodLimit(deps: BotDeps, limit: RateLimit): MiddlewareFn<BotContext> {
  const buckets = new TokenBuckets(limit, () => deps.now().getTime());
  return async (ctx, next) => {
    const userId = ctx.from?.id;
    if (userId === undefined) return next();
    const taken = buckets.take(userId);
    if (taken.ok) return next();
    deps.log.info({ userId, updateId: ctx.update.update_id }, 'flood limit: update dropped');
    const chatId = privateChatId(ctx);
    if (taken.notify && chatId !== undefined) {
      const state = await deps.users.state(userId).catch(() => undefined);
      const language = state?.registered
        ? state.language
        : languageFromCode(ctx.from?.language_code);
      await ctx.api.sendMessage(chatId, t(language).slowDown).catch(() => undefined);
    }
  };
}

/**
 * Private chats only. The admin chat (ADMIN_FEEDBACK_CHAT_ID) goes to its own handlers; any other
 * group or channel gets one polite line (at most once per chat per interval) and nothing else.
 */
export function privateChatsOnly(
  deps: BotDeps,
  adminChat: MiddlewareFn<BotContext>,
  noticeIntervalMs: number,
): MiddlewareFn<BotContext> {
  const adminChatId =
    deps.config.ADMIN_FEEDBACK_CHAT_ID === undefined
      ? undefined
      : Number(deps.config.ADMIN_FEEDBACK_CHAT_ID);
  const noticed = new Map<number, number>();
  return async (ctx, next) => {
    const chat = ctx.chat;
    if (!chat) {
      // A button under a message Telegram no longer includes: the press comes from the user.
      if (ctx.callbackQuery && !ctx.callbackQuery.inline_message_id) return next();
      return; // inline queries, polls…: nothing for us
    }
    if (chat.type === 'private') {
      if (ctx.myChatMember) return; // blocked / unblocked: nothing to say
      return next();
    }
    if (adminChatId !== undefined && chat.id === adminChatId)
      return adminChat(ctx, async () => undefined);
    const line = t(languageFromCode(ctx.from?.language_code)).privateOnly(ctx.me.username);
    if (ctx.callbackQuery) {
      answer(ctx, line, { alert: true });
      return;
    }
    const now = deps.now().getTime();
    const last = noticed.get(chat.id);
    if (last !== undefined && now - last < noticeIntervalMs) return;
    noticed.set(chat.id, now);
    if (noticed.size > 10_000) noticed.delete(noticed.keys().next().value as number);
    if (ctx.message || ctx.myChatMember?.new_chat_member.status === 'member') {
      await ctx.api.sendMessage(chat.id, line, { parse_mode: 'HTML' }).catch(() => undefined);
    }
  };
}

/** A first contact other than /start registers the user too (the welcome is shown by /start). */
export function ensureRegistered(deps: BotDeps): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const scope = ctx.scope;
    if (scope.userId > 0 && !scope.state.registered) {
      const from = ctx.from;
      const outcome = await scope.exec({
        type: 'RegisterUser',
        telegramId: scope.userId,
        username: from?.username ?? null,
        firstName: from?.first_name ?? null,
        language: languageFromCode(from?.language_code),
        welcomeCredits: deps.config.DEFAULT_CREDITS,
        grantId: `welcome-${scope.userId}`,
      });
      if (!outcome.ok && outcome.rejection.code !== 'already_registered') {
        deps.log.warn(
          { userId: scope.userId, rejection: outcome.rejection },
          'registration rejected',
        );
        return;
      }
      if (outcome.ok && !outcome.duplicate) scope.justRegistered = true;
      if (!outcome.ok) scope.state = await deps.users.state(scope.userId);
    }
    await next();
  };
}

/**
 * A button that does not decode (older version, forged, garbage): polite answer and a fresh menu.
 * Nothing is recorded, not even a cleared awaited input: a user in the middle of typing their
 * script can still send it.
 */
export function outdatedButtons(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    if (ctx.callbackQuery && ctx.scope.action === null) {
      const { t: m, state } = ctx.scope;
      answer(ctx, m.outdatedButton);
      await send(
        ctx,
        `${m.outdatedButton}\n\n${m.mainMenu(state.firstName ?? ctx.from?.first_name ?? '', state.balance)}`,
        mainMenuKeyboard(m),
      );
      return;
    }
    await next();
  };
}

/**
 * The error boundary: the user sees a short apology in their language, the operator log gets the
 * stack. Never a stack trace in the chat.
 */
export async function reportError(deps: BotDeps, ctx: BotContext, error: unknown): Promise<void> {
  deps.log.error(
    { err: error, updateId: ctx.update.update_id, userId: ctx.from?.id },
    'update handling failed',
  );
  try {
    const language = ctx.scope?.lang ?? languageFromCode(ctx.from?.language_code);
    const text = t(language).errorApology;
    if (ctx.callbackQuery && !ctx.scope?.callbackAnswered) {
      if (ctx.scope) ctx.scope.callbackAnswered = true;
      await ctx.answerCallbackQuery({ text }).catch(() => undefined);
    }
    const chatId = privateChatId(ctx);
    if (chatId !== undefined) await ctx.api.sendMessage(chatId, text);
  } catch (sendError) {
    deps.log.warn({ err: sendError }, 'could not send the apology');
  }
}

export function errorBoundary(deps: BotDeps): MiddlewareFn<BotContext> {
  return async (ctx, next: NextFunction) => {
    try {
      await next();
    } catch (error) {
      await reportError(deps, ctx, error);
    }
  };
}

/** True for a `/command` message (its first entity is a bot command at offset 0). */
export function isCommandMessage(message: Message | undefined): boolean {
  const entity = message?.entities?.[0];
  return entity?.type === 'bot_command' && entity.offset === 0;
}

/**
 * The private chat an update came from; a button press without its message counts as the user's.
 */
export function privateChatId(
  ctx: Pick<BotContext, 'chat' | 'callbackQuery' | 'from'>,
): number | undefined {
  if (ctx.chat) return ctx.chat.type === 'private' ? ctx.chat.id : undefined;
  return ctx.callbackQuery ? ctx.from?.id : undefined;
}
