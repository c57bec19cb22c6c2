import { Composer, InlineKeyboard } from 'grammy';
import { generationStream, userStream } from '../../domain/events/streams.js';
import type { MissingDraftField } from '../../domain/user/state.js';
import type { BotContext } from '../bot-context.js';
import { cb } from '../callback-data.js';
import { screenForStep } from '../screens.js';
import { answer, isNotModified, send, show, withNav } from '../ui.js';
import { onAction, type ModuleEnv } from './module-env.js';
import { addPackButtons } from './payments.js';
import { voiceMismatchReply } from './voice-mismatch.js';

/**
 * Step 5: "Generate". The request and its payment are one command; the id of the generation comes
 * from the update, so a double click is two requests the domain tells apart (the second finds the
 * script used up) and a redelivered update is the same request. The pipeline takes over from here.
 *
 * The confirmation message becomes the progress message: it is edited (never a new message), and
 * its id goes into the request, so whichever instance runs the generation edits that one message.
 */
export function generationModule(env: ModuleEnv): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const { config } = env.deps;

  onAction(env, 'generate', async (ctx) => {
    const { t } = ctx.scope;
    const generationId = ctx.scope.derivedId('g');
    const confirmation = ctx.callbackQuery?.message;
    // Only a text message can become the progress text; otherwise the pipeline posts one and
    // records it.
    const progressMessage =
      confirmation && 'text' in confirmation && typeof confirmation.text === 'string'
        ? { chatId: confirmation.chat.id, messageId: confirmation.message_id }
        : undefined;
    const outcome = await ctx.scope.exec({
      type: 'RequestGeneration',
      generationId,
      cost: config.COST_UGC_VIDEO,
      ...(progressMessage ? { progressMessage } : {}),
    });
    answer(ctx);
    // A second click on a confirmation that already became a generation's progress message (the
    // clicks were queued together): answer below it, never over it.
    const reply = async (text: string, keyboard: InlineKeyboard): Promise<void> => {
      if (confirmation && (await isProgressMessage(env, ctx.scope.userId, confirmation.message_id)))
        await send(ctx, text, keyboard);
      else await show(ctx, text, keyboard);
    };
    if (!outcome.ok) {
      const { code, details } = outcome.rejection;
      if (code === 'insufficient_credits') {
        const keyboard = addPackButtons(new InlineKeyboard(), t, config.STARS_PACKS)
          .row()
          .text(t.btnTopUp, cb({ kind: 'topUpMenu' }));
        await reply(
          t.insufficientCredits(outcome.state.balance, config.COST_UGC_VIDEO),
          withNav(keyboard, t),
        );
        return;
      }
      if (code === 'draft_incomplete') {
        const missing = (
          Array.isArray(details?.missing) ? details.missing : []
        ) as MissingDraftField[];
        const keyboard = new InlineKeyboard();
        const first = missing[0];
        if (first)
          keyboard.text(
            t.btnFill(first),
            cb({ kind: 'screen', screen: screenForStep(first, outcome.state.draft) }),
          );
        await reply(t.draftIncomplete(missing), withNav(keyboard, t));
        return;
      }
      if (code === 'voice_language_mismatch') {
        const mismatch = await voiceMismatchReply(ctx, outcome.state.draft, 'refused');
        await show(ctx, mismatch.text, mismatch.keyboard);
        return;
      }
      env.deps.log.warn(
        { rejection: outcome.rejection, userId: ctx.scope.userId },
        'generation rejected',
      );
      await send(ctx, t.errorApology);
      return;
    }
    // A redelivered update whose generation the pipeline has started: the message is the
    // pipeline's now (maybe "done" already), and turning it back to "queued" would be wrong.
    if (
      outcome.duplicate &&
      (await env.deps.store.readStream(generationStream(generationId), { maxCount: 1 })).length > 0
    )
      return;
    if (progressMessage) {
      // Idempotent: the same update edits the same message to the same text, without buttons.
      await ctx
        .editMessageText(t.queued, { parse_mode: 'HTML', reply_markup: undefined })
        .catch((error: unknown) => {
          if (!isNotModified(error))
            env.deps.log.warn(
              { err: error, generationId },
              'could not turn the confirmation into the progress message',
            );
        });
    } else if (confirmation) {
      // The confirmation loses its buttons: it has been acted on. The pipeline posts the progress
      // message.
      await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
    }
    env.deps.log.info(
      { userId: ctx.scope.userId, generationId, duplicate: outcome.duplicate },
      'generation requested',
    );
  });

  return composer;
}

/**
 * Whether an earlier request turned this message into its progress message (the user's events say).
 */
async function isProgressMessage(
  env: ModuleEnv,
  userId: number,
  messageId: number,
): Promise<boolean> {
  const events = await env.deps.store.readStream(userStream(userId));
  return events.some(
    (event) =>
      event.type === 'GenerationRequested' &&
      (event.data.progressMessage as { messageId?: unknown } | undefined)?.messageId === messageId,
  );
}
