import { Composer, InlineKeyboard } from 'grammy';
import type { MissingDraftField } from '../../domain/user/state.js';
import type { BotContext } from '../bot-context.js';
import { cb } from '../callback-data.js';
import { screenForStep } from '../screens.js';
import { answer, send, show, withNav } from '../ui.js';
import { onAction, type ModuleEnv } from './module-env.js';

/**
 * Step 5: "Generate". The request and its payment are one command; the id of the generation comes
 * from the update, so a double click is two requests the domain tells apart (the second finds the
 * script used up) and a redelivered update is the same request. The pipeline takes over from here.
 */
export function generationModule(env: ModuleEnv): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const { config } = env.deps;

  onAction(composer, 'generate', async (ctx) => {
    const { t } = ctx.scope;
    const generationId = ctx.scope.derivedId('g');
    const outcome = await ctx.scope.exec({ type: 'RequestGeneration', generationId, cost: config.COST_UGC_VIDEO });
    await answer(ctx);
    if (!outcome.ok) {
      const { code, details } = outcome.rejection;
      if (code === 'insufficient_credits') {
        const keyboard = new InlineKeyboard().text(t.btnTopUp, cb({ kind: 'topUpMenu' }));
        await show(ctx, t.insufficientCredits(outcome.state.balance, config.COST_UGC_VIDEO), withNav(keyboard, t));
        return;
      }
      if (code === 'draft_incomplete') {
        const missing = (Array.isArray(details?.missing) ? details.missing : []) as MissingDraftField[];
        const keyboard = new InlineKeyboard();
        const first = missing[0];
        if (first) keyboard.text(t.btnFill(first), cb({ kind: 'screen', screen: screenForStep(first, outcome.state.draft) }));
        await show(ctx, t.draftIncomplete(missing), withNav(keyboard, t));
        return;
      }
      env.deps.log.warn({ rejection: outcome.rejection, userId: ctx.scope.userId }, 'generation rejected');
      await send(ctx, t.errorApology);
      return;
    }
    const registry = env.deps.progressMessages;
    if (outcome.duplicate && registry?.get(generationId)) return;
    // The confirmation loses its buttons: it has been acted on.
    if (ctx.callbackQuery?.message) await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
    const messageId = await send(ctx, t.queued);
    if (messageId > 0) registry?.set(generationId, { chatId: ctx.chat?.id ?? ctx.scope.userId, messageId });
    env.deps.log.info({ userId: ctx.scope.userId, generationId }, 'generation requested');
  });

  return composer;
}
