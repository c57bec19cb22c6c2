import { Composer, InlineKeyboard } from 'grammy';
import type { BotContext } from '../bot-context.js';
import { cb } from '../callback-data.js';
import { t as messagesFor } from '../i18n/index.js';
import { answer, displayName, mainMenuKeyboard, send, show, withNav } from '../ui.js';
import { asAdmin } from './admin-guard.js';
import {
  FEEDBACK_MAX_CHARS,
  adminMessages,
  awaiting,
  notifyAdmins,
  onAction,
  type ModuleEnv,
} from './module-env.js';

/** `#fb <user id>:<feedback id>` in the admin's copy ties a reply to the feedback it answers. */
const feedbackTag = (userId: number, feedbackId: string) => `#fb ${userId}:${feedbackId}`;
const TAG = /#fb (\d{1,16}):([A-Za-z0-9_-]{1,40})/;

/** The user side: a one-message form whose text goes to the admin chat. */
export function feedbackModule(env: ModuleEnv): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  env.screens.define(
    'feedback',
    async (ctx) => {
      const { t } = ctx.scope;
      await show(ctx, t.feedbackAsk(FEEDBACK_MAX_CHARS), withNav(new InlineKeyboard(), t));
    },
    { awaits: 'feedback' },
  );

  composer.filter(awaiting('feedback'), async (ctx) => {
    const { t, userId } = ctx.scope;
    const text = ctx.message?.text;
    if (text === undefined) {
      await send(ctx, t.feedbackNotText, withNav(new InlineKeyboard(), t));
      return;
    }
    const feedbackId = ctx.scope.derivedId('fb');
    const outcome = await ctx.scope.exec({
      type: 'SubmitFeedback',
      feedbackId,
      text,
      maxLength: FEEDBACK_MAX_CHARS,
    });
    if (!outcome.ok) {
      const details = outcome.rejection.details ?? {};
      const reply =
        outcome.rejection.code === 'feedback_too_long'
          ? t.feedbackTooLong(Number(details.length ?? 0), FEEDBACK_MAX_CHARS)
          : outcome.rejection.code === 'feedback_empty'
            ? t.feedbackEmpty
            : t.errorApology;
      await send(ctx, reply, withNav(new InlineKeyboard(), t));
      return;
    }
    if (!outcome.duplicate) {
      const stored = outcome.events.find((event) => event.type === 'FeedbackSubmitted');
      const storedText = stored?.type === 'FeedbackSubmitted' ? stored.data.text : text.trim();
      const keyboard = new InlineKeyboard().text(
        adminMessages(env).btnReplyFeedback,
        cb({ kind: 'feedbackReply', userId, feedbackId }),
      );
      await notifyAdmins(
        ctx,
        env,
        adminMessages(env).adminFeedback(
          displayName(ctx.from, String(userId)),
          userId,
          storedText,
          feedbackTag(userId, feedbackId),
        ),
        keyboard,
      );
    }
    await send(ctx, t.feedbackThanks, mainMenuKeyboard(t));
  });

  return composer;
}

/**
 * The admin side, in the admin chat or an admin's private chat: the "Reply" button (asks for the
 * answer as a reply, so nothing is remembered in memory), a reply to the feedback message, and
 * `/reply <user> <text>`. The answer is an AnswerFeedback command naming the admin, then delivered.
 */
export function feedbackAdminModule(env: ModuleEnv): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  onAction(env, 'feedbackReply', async (ctx, action) => {
    if (!ctx.scope.isAdmin) {
      answer(ctx, ctx.scope.t.outdatedButton);
      return;
    }
    answer(ctx);
    const chatId = ctx.chat?.id ?? ctx.scope.userId;
    await ctx.api.sendMessage(
      chatId,
      ctx.scope.t.adminReplyPrompt(action.userId, feedbackTag(action.userId, action.feedbackId)),
      {
        parse_mode: 'HTML',
        reply_markup: { force_reply: true, selective: true },
      },
    );
  });

  composer.on('message:text', async (ctx, next) => {
    const replied = ctx.message.reply_to_message;
    const match =
      replied && replied.from?.id === ctx.me.id
        ? TAG.exec(replied.text ?? replied.caption ?? '')
        : null;
    if (!match || !ctx.scope.isAdmin || ctx.message.text.startsWith('/')) return next();
    await asAdmin(ctx, env, () =>
      answerFeedback(ctx, env, Number(match[1]), match[2] ?? '', ctx.message.text),
    );
  });

  composer.command('reply', (ctx) =>
    asAdmin(ctx, env, async () => {
      const parsed = /^(\d{1,16})\s+([\s\S]+)$/.exec(ctx.match.trim());
      if (!parsed) {
        await send(ctx, ctx.scope.t.adminUsage('reply'));
        return;
      }
      const userId = Number(parsed[1]);
      const state = await env.deps.users.state(userId);
      if (!state.registered) {
        await send(ctx, ctx.scope.t.adminUserNotFound(userId));
        return;
      }
      const feedbackId = state.openFeedbackIds.at(-1);
      if (feedbackId === undefined) {
        await send(ctx, ctx.scope.t.adminNoOpenFeedback(userId));
        return;
      }
      await answerFeedback(ctx, env, userId, feedbackId, parsed[2] ?? '');
    }),
  );

  return composer;
}

async function answerFeedback(
  ctx: BotContext,
  env: ModuleEnv,
  userId: number,
  feedbackId: string,
  text: string,
): Promise<void> {
  const { t } = ctx.scope;
  const adminId = ctx.scope.userId;
  const outcome = await ctx.scope.execFor(
    userId,
    { type: 'AnswerFeedback', feedbackId, text, adminId },
    { kind: 'admin', id: String(adminId) },
  );
  if (!outcome.ok) {
    const code = outcome.rejection.code;
    await send(
      ctx,
      code === 'already_answered'
        ? t.adminAlreadyAnswered
        : code === 'unknown_feedback'
          ? t.adminNoOpenFeedback(userId)
          : code === 'not_registered'
            ? t.adminUserNotFound(userId)
            : code === 'feedback_empty'
              ? t.adminUsage('reply')
              : t.adminFailed(outcome.rejection.message),
    );
    return;
  }
  if (outcome.duplicate) {
    await send(ctx, t.adminAlreadyDone);
    return;
  }
  const answered = outcome.events.find((event) => event.type === 'FeedbackAnswered');
  const answerText = answered?.type === 'FeedbackAnswered' ? answered.data.text : text.trim();
  try {
    await ctx.api.sendMessage(
      userId,
      messagesFor(outcome.state.language).feedbackAnswer(answerText),
      { parse_mode: 'HTML' },
    );
    await send(ctx, t.adminAnswerDelivered(userId));
  } catch (error) {
    env.deps.log.warn({ err: error, userId }, 'feedback answer not delivered');
    await send(ctx, t.adminAnswerNotDelivered(userId));
  }
}
