import { GrammyError, InlineKeyboard } from 'grammy';
import type { BotContext } from './bot-context.js';
import { cb, type CallbackAction } from './callback-data.js';
import type { Messages } from './i18n/index.js';

export const HTML = { parse_mode: 'HTML' } as const;
const NO_PREVIEW = { link_preview_options: { is_disabled: true } } as const;

/** Appends the row every screen has: back (when there is somewhere to go back to) and main menu. */
export function withNav(
  keyboard: InlineKeyboard,
  t: Messages,
  back?: CallbackAction,
): InlineKeyboard {
  keyboard.row();
  if (back) keyboard.text(t.btnBack, cb(back));
  return keyboard.text(t.btnMain, cb({ kind: 'screen', screen: 'main' }));
}

export function mainMenuKeyboard(t: Messages): InlineKeyboard {
  return new InlineKeyboard()
    .text(t.btnCreate, cb({ kind: 'screen', screen: 'create' }))
    .row()
    .text(t.btnHistory, cb({ kind: 'history', page: 0 }))
    .text(t.btnCredits, cb({ kind: 'screen', screen: 'credits' }))
    .row()
    .text(t.btnProfile, cb({ kind: 'screen', screen: 'profile' }))
    .text(t.btnHelp, cb({ kind: 'screen', screen: 'help' }))
    .row()
    .text(t.btnFeedback, cb({ kind: 'screen', screen: 'feedback' }));
}

/**
 * Shows a text screen: edits the message whose button was pressed when it is a text message,
 * otherwise sends a new one. Editing keeps the chat short; a photo or video cannot become text.
 */
export async function show(
  ctx: BotContext,
  text: string,
  keyboard?: InlineKeyboard,
): Promise<void> {
  const message = ctx.callbackQuery?.message;
  const markup = keyboard ? { reply_markup: keyboard } : {};
  if (message && 'text' in message && typeof message.text === 'string') {
    try {
      await ctx.editMessageText(text, { ...HTML, ...NO_PREVIEW, ...markup });
      return;
    } catch (error) {
      if (isNotModified(error)) return;
      if (!isEditImpossible(error)) throw error;
    }
  }
  await send(ctx, text, keyboard);
}

/** Always a new message in the current chat. */
export async function send(
  ctx: BotContext,
  text: string,
  keyboard?: InlineKeyboard,
): Promise<number> {
  const chatId = ctx.chat?.id ?? ctx.from?.id;
  if (chatId === undefined) return 0;
  const sent = await ctx.api.sendMessage(chatId, text, {
    ...HTML,
    ...NO_PREVIEW,
    ...(keyboard ? { reply_markup: keyboard } : {}),
  });
  return sent.message_id;
}

/**
 * Chooses the pressed button's answer (a silent one, or a toast or alert with `text`); the first
 * choice of an update wins. It is sent when the update is done (`sendAnswer`): in the webhook's
 * reply where there is one, which costs no request of its own and acknowledges the update only
 * once everything it does is recorded.
 */
export function answer(ctx: BotContext, text?: string, options: { alert?: boolean } = {}): void {
  if (!ctx.callbackQuery) return;
  ctx.scope.callbackAnswer ??= text ? { text, alert: options.alert ?? false } : {};
}

/**
 * Answers at once, before slow work that records nothing (sending a preview or an example clip):
 * the spinner stops now instead of after the upload. In webhook mode that acknowledges the update
 * early, which is safe only where a crash afterwards loses nothing but the file the user can ask
 * for again.
 */
export async function answerNow(ctx: BotContext): Promise<void> {
  answer(ctx);
  await sendAnswer(ctx);
}

/** Sends the button's answer, the one chosen or a silent one, unless it went out already. */
export async function sendAnswer(ctx: BotContext): Promise<void> {
  if (!ctx.callbackQuery || ctx.scope.callbackAnswered) return;
  ctx.scope.callbackAnswered = true;
  const chosen = ctx.scope.callbackAnswer;
  const params = chosen?.text ? { text: chosen.text, show_alert: chosen.alert ?? false } : {};
  try {
    await ctx.answerCallbackQuery(params);
  } catch {
    // Once more, as a request of its own: a webhook reply fails when the webhook was answered
    // already (the update outlived its deadline), and an update takes one reply at most.
    await ctx
      .answerCallbackQuery(params)
      .catch((error: unknown) =>
        ctx.scope.deps.log.debug({ err: error }, 'answerCallbackQuery failed'),
      );
  }
}

export function isNotModified(error: unknown): boolean {
  return error instanceof GrammyError && /message is not modified/i.test(error.description);
}

export function isEditImpossible(error: unknown): boolean {
  return (
    error instanceof GrammyError &&
    /message to edit not found|message can't be edited|there is no text in the message|MESSAGE_ID_INVALID/i.test(
      error.description,
    )
  );
}

/** A display name for admins' messages: the name and @username the user had. */
export function displayName(
  user:
    | {
        first_name?: string | undefined;
        last_name?: string | undefined;
        username?: string | undefined;
      }
    | undefined,
  fallback: string,
): string {
  if (!user) return fallback;
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ');
  return user.username ? `${name || fallback} (@${user.username})` : name || fallback;
}
