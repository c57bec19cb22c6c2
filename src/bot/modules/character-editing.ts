import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { Composer, InlineKeyboard } from 'grammy';
import type { DraftCharacter } from '../../domain/user/state.js';
import type { BotContext } from '../bot-context.js';
import { cb } from '../callback-data.js';
import type { Messages } from '../i18n/index.js';
import { sendStoredMedia } from '../media.js';
import { answeredOutOfStep } from '../middleware/step-guard.js';
import { showScreen } from '../screens.js';
import { HTML, answer, send, show, withNav } from '../ui.js';
import { awaiting, onAction, type ModuleEnv } from './module-env.js';

/**
 * Step 2b: an optional AI edit of the chosen portrait — prompt, result, accept / again (bounded) /
 * revert. Without the cloud provider the button explains why it cannot edit. The edit runs after
 * the update is answered, so a slow provider never holds up other updates.
 */
export function characterEditingModule(env: ModuleEnv): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const { deps } = env;
  const max = deps.config.MAX_EDIT_ITERATIONS;
  const remainingFor = (character: DraftCharacter) => Math.max(0, max - character.editIterations);

  env.screens.define('character', async (ctx) => {
    const { t, state } = ctx.scope;
    const character = state.draft.character;
    if (!character) {
      await showScreen(ctx, 'gender');
      return;
    }
    const name =
      (await deps.catalog.character(character.characterId))?.name ?? character.characterId;
    const keyboard = new InlineKeyboard();
    if (character.pendingEdit) {
      keyboard.text(t.btnRevertEdit, cb({ kind: 'edit', op: 'revert' })).row();
      keyboard.text(t.btnToVoice, cb({ kind: 'screen', screen: 'voices' }));
      await show(
        ctx,
        t.editInProgress,
        withNav(keyboard, t, { kind: 'gallery', gender: character.gender, index: 0 }),
      );
      return;
    }
    keyboard.text(t.btnEdit, cb({ kind: 'edit', op: 'start' })).row();
    if (character.imageKey !== character.originalImageKey)
      keyboard.text(t.btnRevertEdit, cb({ kind: 'edit', op: 'revert' })).row();
    keyboard.text(t.btnToVoice, cb({ kind: 'screen', screen: 'voices' }));
    await show(
      ctx,
      t.editOffer(name, remainingFor(character)),
      withNav(keyboard, t, { kind: 'gallery', gender: character.gender, index: 0 }),
    );
  });

  const askPrompt = async (ctx: BotContext): Promise<void> => {
    const { t, state } = ctx.scope;
    const character = state.draft.character;
    answer(ctx);
    if (!character) {
      await showScreen(ctx, 'gender');
      return;
    }
    if (!deps.imageEditor.available) {
      await ctx.scope.awaitInput(null);
      await show(ctx, t.editUnavailable, continueKeyboard(t));
      return;
    }
    if (character.pendingEdit) {
      await show(ctx, t.editInProgress, continueKeyboard(t, true));
      return;
    }
    const remaining = remainingFor(character);
    if (remaining === 0) {
      await show(
        ctx,
        t.editLimit(max),
        continueKeyboard(t, character.imageKey !== character.originalImageKey),
      );
      return;
    }
    await ctx.scope.awaitInput('edit_prompt');
    await send(
      ctx,
      t.editAskPrompt(remaining),
      withNav(new InlineKeyboard(), t, { kind: 'screen', screen: 'character' }),
    );
  };

  onAction(env, 'edit', async (ctx, action) => {
    if (action.op !== 'revert') return askPrompt(ctx);
    const { t } = ctx.scope;
    const outcome = await ctx.scope.exec({ type: 'RevertCharacterEdit' });
    if (await answeredOutOfStep(ctx, outcome)) return;
    if (!outcome.ok) {
      answer(
        ctx,
        outcome.rejection.code === 'nothing_to_revert' ? t.editNothingToRevert : t.outdatedButton,
      );
      await showScreen(ctx, 'character');
      return;
    }
    answer(ctx, t.editReverted);
    const character = ctx.scope.state.draft.character;
    if (character) {
      const chatId = ctx.chat?.id ?? ctx.scope.userId;
      await sendStoredMedia(env, character.imageKey, (media) =>
        ctx.api.sendPhoto(chatId, media, { caption: t.editReverted, ...HTML }),
      );
    }
    await showScreen(ctx, 'character');
  });

  onAction(env, 'editAccept', async (ctx, action) => {
    const { t } = ctx.scope;
    const outcome = await ctx.scope.exec({ type: 'AcceptCharacterEdit', editId: action.editId });
    if (await answeredOutOfStep(ctx, outcome)) return;
    if (!outcome.ok) {
      answer(ctx, t.outdatedButton);
      await showScreen(ctx, 'character');
      return;
    }
    answer(ctx, t.editAccepted);
    await showScreen(ctx, 'voices');
  });

  composer.filter(awaiting('edit_prompt'), async (ctx) => {
    const { t } = ctx.scope;
    const text = ctx.message?.text;
    if (text === undefined) {
      await send(ctx, t.editNotText);
      return;
    }
    if (!deps.imageEditor.available) {
      await ctx.scope.awaitInput(null);
      await send(ctx, t.editUnavailable, continueKeyboard(t));
      return;
    }
    const editId = ctx.scope.derivedId('e');
    const outcome = await ctx.scope.exec({
      type: 'RequestCharacterEdit',
      editId,
      prompt: text,
      maxIterations: max,
    });
    if (await answeredOutOfStep(ctx, outcome)) return;
    if (!outcome.ok) {
      const code = outcome.rejection.code;
      const reply =
        code === 'prompt_empty'
          ? t.editPromptEmpty
          : code === 'edit_limit_reached'
            ? t.editLimit(max)
            : code === 'edit_in_progress'
              ? t.editInProgress
              : t.errorApology;
      await send(ctx, reply, continueKeyboard(t, code !== 'prompt_empty'));
      return;
    }
    const character = outcome.state.draft.character;
    // A redelivered update whose edit already finished must not run (or bill) it again.
    if (!character || character.pendingEdit?.editId !== editId) return;
    await send(ctx, t.editWorking);
    const scope = ctx.scope;
    void runEdit(ctx, env, editId, text, character).catch(async (error: unknown) => {
      deps.log.error({ err: error, userId: scope.userId, editId }, 'character edit crashed');
      await scope
        .exec({ type: 'RecordCharacterEditFailure', editId, reason: 'internal error' })
        .catch(() => undefined);
      await send(ctx, scope.t.editFailed(scope.t.errorApology), continueKeyboard(scope.t)).catch(
        () => undefined,
      );
    });
  });

  return composer;
}

function continueKeyboard(t: Messages, withRevert = false, withRetry = false): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  // A failed edit costs nothing, so trying again is one tap away.
  if (withRetry) keyboard.text(t.btnEdit, cb({ kind: 'edit', op: 'start' })).row();
  if (withRevert) keyboard.text(t.btnRevertEdit, cb({ kind: 'edit', op: 'revert' })).row();
  keyboard.text(t.btnToVoice, cb({ kind: 'screen', screen: 'voices' }));
  return withNav(keyboard, t, { kind: 'screen', screen: 'character' });
}

async function runEdit(
  ctx: BotContext,
  env: ModuleEnv,
  editId: string,
  prompt: string,
  character: DraftCharacter,
): Promise<void> {
  const { deps } = env;
  const scope = ctx.scope;
  const dir = await mkdtemp(join(tmpdir(), 'ugc-edit-'));
  try {
    const input = await deps.storage.toLocalFile(
      character.imageKey,
      join(dir, `input${extname(character.imageKey) || '.png'}`),
    );
    const result = await deps.imageEditor.edit({
      imagePath: input,
      prompt: prompt.trim(),
      outputPath: join(dir, 'output.png'),
    });
    const t = scope.t;
    if (!result.ok) {
      await scope.exec({
        type: 'RecordCharacterEditFailure',
        editId,
        reason: `${result.reason}: ${result.message}`,
      });
      // The provider's own text goes to the event log; the user reads it in their language.
      const reason =
        result.reason === 'content_policy'
          ? t.editContentPolicy
          : result.reason === 'unavailable'
            ? t.editServiceUnavailable
            : t.editServiceFailed;
      await send(
        ctx,
        t.editFailed(reason),
        continueKeyboard(t, character.imageKey !== character.originalImageKey, true),
      );
      return;
    }
    const extension = extname(result.path) || '.png';
    const imageKey = `edits/${scope.userId}/${editId}${extension}`;
    await deps.storage.putFile(
      imageKey,
      result.path,
      extension === '.jpg' || extension === '.jpeg' ? 'image/jpeg' : 'image/png',
    );
    const outcome = await scope.exec({
      type: 'RecordCharacterEdit',
      editId,
      imageKey,
      provider: result.provider,
    });
    if (!outcome.ok) {
      // The user reverted or started over while the provider worked: the result is stale.
      await deps.storage.delete(imageKey).catch(() => undefined);
      return;
    }
    const edited = outcome.state.draft.character;
    const remaining = Math.max(0, deps.config.MAX_EDIT_ITERATIONS - (edited?.editIterations ?? 0));
    const keyboard = new InlineKeyboard()
      .text(t.btnAcceptEdit, cb({ kind: 'editAccept', editId }))
      .row();
    if (remaining > 0)
      keyboard.text(t.btnEditAgain(remaining), cb({ kind: 'edit', op: 'again' })).row();
    keyboard.text(t.btnRevertEdit, cb({ kind: 'edit', op: 'revert' }));
    withNav(keyboard, t, { kind: 'screen', screen: 'character' });
    const chatId = ctx.chat?.id ?? scope.userId;
    await sendStoredMedia(env, imageKey, (media) =>
      ctx.api.sendPhoto(chatId, media, {
        caption: t.editResult(remaining),
        ...HTML,
        reply_markup: keyboard,
      }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
