import { Composer, InlineKeyboard } from 'grammy';
import type { BotContext } from '../bot-context.js';
import { cb } from '../callback-data.js';
import { showScreen } from '../screens.js';
import { send, show, withNav } from '../ui.js';
import { SCRIPT_MAX_CHARS, awaiting, type ModuleEnv } from './module-env.js';
import { voiceMismatch, voiceMismatchText } from './voice-mismatch.js';

/** Roughly how fast TTS voices speak, for an early warning only; the pipeline measures the audio. */
const WORDS_PER_SECOND = 2.5;

/** Step 4: the script — validated by the domain (length, something speakable) — and the confirmation. */
export function scriptInputModule(env: ModuleEnv): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const { config } = env.deps;

  env.screens.define(
    'script',
    async (ctx) => {
      const { t } = ctx.scope;
      await show(ctx, t.scriptAsk(SCRIPT_MAX_CHARS, config.MAX_AUDIO_DURATION), withNav(new InlineKeyboard(), t, { kind: 'screen', screen: 'voices' }));
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
    let text = t.scriptConfirm(script.text, script.speechText, state.balance, config.COST_UGC_VIDEO, env.deps.lipSync ?? false);
    if (estimatedSec > config.MAX_AUDIO_DURATION) text += `\n\n${t.scriptMaybeLong(estimatedSec, config.MAX_AUDIO_DURATION)}`;
    // Said now, not after Generate: the voice cannot read this script, so the way on is another voice.
    const unreadable = voiceMismatch(state.draft) !== undefined;
    if (unreadable) text += `\n\n${voiceMismatchText(ctx, state.draft, 'noticed')}`;
    const keyboard = unreadable
      ? new InlineKeyboard().text(t.btnVoicesForScript, cb({ kind: 'screen', screen: 'voices' }))
      : new InlineKeyboard().text(t.btnGenerate(config.COST_UGC_VIDEO), cb({ kind: 'generate' }));
    keyboard.row().text(t.btnRewrite, cb({ kind: 'screen', screen: 'script' }));
    await show(ctx, text, withNav(keyboard, t, { kind: 'screen', screen: 'voices' }));
  });

  composer.filter(awaiting('script'), async (ctx) => {
    const { t } = ctx.scope;
    const text = ctx.message?.text;
    const retry = withNav(new InlineKeyboard(), t, { kind: 'screen', screen: 'voices' });
    if (text === undefined) {
      await send(ctx, t.scriptNotText, retry);
      return;
    }
    const outcome = await ctx.scope.exec({ type: 'WriteScript', text, maxLength: SCRIPT_MAX_CHARS });
    if (!outcome.ok) {
      const details = outcome.rejection.details ?? {};
      const reply =
        outcome.rejection.code === 'script_too_long'
          ? t.scriptTooLong(Number(details.length ?? [...text].length), SCRIPT_MAX_CHARS)
          : outcome.rejection.code === 'script_empty'
            ? t.scriptEmpty
            : t.errorApology;
      await send(ctx, reply, retry);
      return;
    }
    await showScreen(ctx, 'confirm');
  });

  return composer;
}
