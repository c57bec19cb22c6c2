import { Composer, InlineKeyboard } from 'grammy';
import type { UserCommandOutcome } from '../../commands/user-commands.js';
import { currentStep } from '../../domain/user/wizard-steps.js';
import type { BotContext } from '../bot-context.js';
import { cb } from '../callback-data.js';
import type { Messages } from '../i18n/index.js';
import { isCommandMessage } from '../middleware/guards.js';
import { answeredOutOfStep, currentStepKeyboard } from '../middleware/step-guard.js';
import { showScreen } from '../screens.js';
import { send, show, withNav } from '../ui.js';
import { draftCaptionStyle } from './caption-selection.js';
import { lipSyncPromise } from './lip-sync-promise.js';
import { SCRIPT_MAX_CHARS, awaiting, type ModuleEnv } from './module-env.js';
import { voiceMismatch, voiceMismatchReply } from './voice-mismatch.js';

/**
 * Roughly how fast TTS voices speak, for an early warning only; the pipeline measures the audio.
 */
const WORDS_PER_SECOND = 2.5;

/**
 * Step 4: the script — validated by the domain (length, something speakable) — and the
 * confirmation.
 */
export function scriptInputModule(env: ModuleEnv): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const { config } = env.deps;

  env.screens.define(
    'script',
    async (ctx) => {
      const { t } = ctx.scope;
      await show(
        ctx,
        t.scriptAsk(SCRIPT_MAX_CHARS, config.MAX_AUDIO_DURATION),
        withNav(new InlineKeyboard(), t, { kind: 'screen', screen: 'voices' }),
      );
    },
    { awaits: 'script' },
  );

  env.screens.define('confirm', async (ctx) => {
    const { t, state } = ctx.scope;
    const script = state.draft.script;
    if (!script) {
      await showScreen(ctx, 'script');
      return;
    }
    const words = script.speechText.split(/\s+/u).filter(Boolean).length;
    const estimatedSec = words / WORDS_PER_SECOND;
    const chosen = state.draft.character;
    // The catalog is asked only where the answer can change the promise: a local renderer and a
    // character that is not drawn by us.
    const entry =
      chosen && env.deps.lipSync === 'drawn-characters'
        ? await env.deps.catalog.character(chosen.characterId)
        : undefined;
    let text = t.scriptConfirm(
      script.text,
      script.speechText,
      state.balance,
      config.COST_UGC_VIDEO,
      lipSyncPromise(env.deps.lipSync, chosen, entry),
    );
    text += `\n${t.captionsLine(t.captionStyleName(draftCaptionStyle(state.draft)))}`;
    if (estimatedSec > config.MAX_AUDIO_DURATION)
      text += `\n\n${t.scriptMaybeLong(estimatedSec, config.MAX_AUDIO_DURATION)}`;
    // Said now, not after Generate: the voice cannot read this script, so the way on is another
    // voice.
    const mismatch =
      voiceMismatch(state.draft) === undefined
        ? undefined
        : await voiceMismatchReply(ctx, state.draft, 'noticed');
    if (mismatch) text += `\n\n${mismatch.text}`;
    const keyboard = new InlineKeyboard();
    if (!mismatch)
      keyboard.text(t.btnGenerate(config.COST_UGC_VIDEO), cb({ kind: 'generate' })).row();
    else if (!mismatch.noVoiceReads)
      keyboard.text(t.btnVoicesForScript, cb({ kind: 'screen', screen: 'voices' })).row();
    keyboard.text(t.btnRewrite, cb({ kind: 'screen', screen: 'script' }));
    // Captions are a choice about a video that can be made; while no voice can read the script the
    // way on is a rewrite or another voice, so the style button waits for a script that can be
    // spoken.
    if (!mismatch) keyboard.text(t.btnCaptions, cb({ kind: 'screen', screen: 'captions' }));
    await show(ctx, text, withNav(keyboard, t, { kind: 'screen', screen: 'voices' }));
  });

  composer.filter(awaiting('script'), async (ctx) => {
    const { t } = ctx.scope;
    const text = ctx.message?.text;
    if (text === undefined) {
      await send(
        ctx,
        t.scriptNotText,
        withNav(new InlineKeyboard(), t, { kind: 'screen', screen: 'voices' }),
      );
      return;
    }
    await submitScript(ctx, text, ctx.message?.message_id ?? null);
  });

  // An edit of the script message, before or after Generate; or, while the script is awaited, an
  // edit of any message counts as sending that text. Other edits go on to the fallback's answer.
  composer.on('edited_message:text', async (ctx, next) => {
    const message = ctx.editedMessage;
    const { state } = ctx.scope;
    if (isCommandMessage(message)) return next();
    const id = message.message_id;
    if (
      state.draft.script?.messageId === id ||
      state.usedScripts.some((used) => used.messageId === id)
    ) {
      return applyScriptEdit(ctx, id, message.text);
    }
    if (state.awaitedInput === 'script') return submitScript(ctx, message.text, id);
    return next();
  });

  return composer;
}

async function submitScript(
  ctx: BotContext,
  text: string,
  messageId: number | null,
): Promise<void> {
  const { t } = ctx.scope;
  const outcome = await ctx.scope.exec({
    type: 'WriteScript',
    text,
    maxLength: SCRIPT_MAX_CHARS,
    messageId,
  });
  if (await answeredOutOfStep(ctx, outcome)) return;
  if (!outcome.ok) {
    await send(
      ctx,
      invalidScriptText(t, outcome, text),
      withNav(new InlineKeyboard(), t, { kind: 'screen', screen: 'voices' }),
    );
    return;
  }
  // The caption styles first, then the confirmation under them: Generate needs no pick.
  await showScreen(ctx, 'captions');
  await showScreen(ctx, 'confirm');
}

async function applyScriptEdit(ctx: BotContext, messageId: number, text: string): Promise<void> {
  const { t } = ctx.scope;
  const outcome = await ctx.scope.exec({
    type: 'EditScript',
    messageId,
    text,
    maxLength: SCRIPT_MAX_CHARS,
  });
  if (outcome.ok) {
    // The confirmation again, or — when the user has since gone back to an earlier step that is
    // not done (a new background clip) — a way to it, leaving what that screen awaits alone.
    if (currentStep(outcome.state.draft) === 'confirm') {
      await send(ctx, t.scriptUpdated);
      await showScreen(ctx, 'confirm');
    } else {
      await send(ctx, t.scriptUpdated, currentStepKeyboard(ctx));
    }
    return;
  }
  const { code } = outcome.rejection;
  if (code === 'script_already_used') {
    const keyboard = new InlineKeyboard().text(
      t.btnNewVideo,
      cb({ kind: 'screen', screen: 'script' }),
    );
    await send(ctx, t.scriptEditTooLate, withNav(keyboard, t));
    return;
  }
  if (code === 'script_too_long' || code === 'script_empty') {
    await send(
      ctx,
      `${invalidScriptText(t, outcome, text)}\n${t.scriptEditKept}`,
      currentStepKeyboard(ctx),
    );
    return;
  }
  // Another update replaced the script in between: this message is no longer it.
  await send(ctx, t.editedMessageIgnored, currentStepKeyboard(ctx));
}

function invalidScriptText(t: Messages, outcome: UserCommandOutcome, text: string): string {
  if (outcome.ok) return '';
  const details = outcome.rejection.details ?? {};
  switch (outcome.rejection.code) {
    case 'script_too_long':
      return t.scriptTooLong(Number(details.length ?? [...text].length), SCRIPT_MAX_CHARS);
    case 'script_empty':
      return t.scriptEmpty;
    default:
      return t.errorApology;
  }
}
