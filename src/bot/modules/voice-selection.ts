import { extname } from 'node:path';
import { Composer, InlineKeyboard } from 'grammy';
import { paginate } from '../../catalog/paginate.js';
import { voiceLanguages } from '../../catalog/voice-languages.js';
import { orderVoices, type OrderedVoice } from '../../catalog/voice-order.js';
import { detectScriptLanguage } from '../../domain/language/detect-script-language.js';
import type { Voice } from '../../ports/speech-synthesizer.js';
import { scriptLanguageName } from '../i18n/language-names.js';
import type { BotContext } from '../bot-context.js';
import { cb } from '../callback-data.js';
import { clip } from '../html.js';
import { sendStoredMedia } from '../media.js';
import { answeredOutOfStep } from '../middleware/step-guard.js';
import { showScreen } from '../screens.js';
import { HTML, answer, answerNow, show, withNav } from '../ui.js';
import { voiceIdOfRef, voiceRef } from '../voice-ref.js';
import { onAction, type ModuleEnv } from './module-env.js';

export const VOICES_PER_PAGE = 4;

/** Step 3: a paged voice gallery; ▶️ sends the preview clip, ✅ picks the voice. */
export function voiceSelectionModule(env: ModuleEnv): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const { catalog } = env.deps;

  const showPage = async (ctx: BotContext, requested: number): Promise<void> => {
    const { t } = ctx.scope;
    const back = { kind: 'screen', screen: 'character' } as const;
    const ordered = await gallery(ctx);
    let page = paginate(ordered, Math.max(0, requested), VOICES_PER_PAGE);
    if (page.items.length === 0 && page.total > 0)
      page = paginate(ordered, Math.max(0, page.pageCount - 1), VOICES_PER_PAGE);
    if (page.items.length === 0) {
      await show(ctx, t.voicesEmpty, withNav(new InlineKeyboard(), t, back));
      return;
    }
    const keyboard = new InlineKeyboard();
    page.items.forEach(({ voice }) => {
      const ref = voiceRef(voice.id);
      keyboard
        .text(t.btnListen(clip(voice.name, 24)), cb({ kind: 'voicePreview', voiceRef: ref }))
        .text(t.btnPickVoice, cb({ kind: 'voice', voiceRef: ref }))
        .row();
    });
    if (page.page > 0) keyboard.text(t.btnPrev, cb({ kind: 'voices', page: page.page - 1 }));
    if (page.page < page.pageCount - 1)
      keyboard.text(t.btnNext, cb({ kind: 'voices', page: page.page + 1 }));
    const lines = page.items.map(
      ({ voice, readsScript }) =>
        `${t.voiceLine(voice.name, voice.language, voice.gender)}${readsScript ? '' : t.voiceCannotReadMark}`,
    );
    const script = ctx.scope.state.draft.script;
    const part = script ? detectScriptLanguage(script.speechText).parts[0] : undefined;
    const hint = part ? `\n${t.voicesForScript(scriptLanguageName(part, ctx.scope.lang))}` : '';
    await show(
      ctx,
      `${t.voicesScreen(page.page + 1, page.pageCount)}${hint}\n\n${lines.join('\n')}`,
      withNav(keyboard, t, back),
    );
  };

  env.screens.define('voices', (ctx) => showPage(ctx, 0));

  onAction(env, 'voices', async (ctx, action) => {
    answer(ctx);
    await showPage(ctx, action.page);
  });

  // The user's own order (their language, their script). It changes with the script, so buttons
  // name their voice by id, never by a place in this order.
  const gallery = async (ctx: BotContext): Promise<OrderedVoice[]> => {
    const all = await catalog.voices(0, Number.MAX_SAFE_INTEGER);
    return orderVoices(all.items, {
      userLanguage: ctx.scope.lang,
      script: ctx.scope.state.draft.script?.speechText ?? null,
    });
  };
  const voiceOf = async (ref: string): Promise<Voice | undefined> => {
    const id = voiceIdOfRef(ref);
    if (id !== undefined) return catalog.voice(id);
    return (await catalog.voices(0, Number.MAX_SAFE_INTEGER)).items.find(
      (voice) => voiceRef(voice.id) === ref,
    );
  };

  // A button from before voices were named by id cannot say which voice it showed: say so and
  // show the gallery as it is now, choosing nothing.
  onAction(env, 'voiceOutdated', async (ctx) => {
    answer(ctx, ctx.scope.t.voiceButtonOutdated);
    await showPage(ctx, 0);
  });

  onAction(env, 'voicePreview', async (ctx, action) => {
    const { t } = ctx.scope;
    const voice = await voiceOf(action.voiceRef);
    if (!voice) {
      answer(ctx, t.outdatedButton);
      await showPage(ctx, 0);
      return;
    }
    const chatId = ctx.chat?.id ?? ctx.scope.userId;
    const caption = t.voicePreviewCaption(voice.name);
    const keyboard = new InlineKeyboard().text(
      `${t.btnPickVoice} ${clip(voice.name, 30)}`,
      cb({ kind: 'voice', voiceRef: action.voiceRef }),
    );
    if (voice.previewKey) {
      await answerNow(ctx);
      const key = voice.previewKey;
      const asVoice = ['.ogg', '.oga', '.opus'].includes(extname(key).toLowerCase());
      await sendStoredMedia(env, key, (media) =>
        asVoice
          ? ctx.api.sendVoice(chatId, media, { caption, ...HTML, reply_markup: keyboard })
          : ctx.api.sendAudio(chatId, media, {
              caption,
              ...HTML,
              title: voice.name,
              reply_markup: keyboard,
            }),
      );
      return;
    }
    if (voice.previewUrl) {
      await answerNow(ctx);
      await ctx.api.sendAudio(chatId, voice.previewUrl, {
        caption,
        ...HTML,
        title: voice.name,
        reply_markup: keyboard,
      });
      return;
    }
    answer(ctx, t.voiceNoPreview);
  });

  onAction(env, 'voice', async (ctx, action) => {
    const voice = await voiceOf(action.voiceRef);
    if (!voice) {
      answer(ctx, ctx.scope.t.outdatedButton);
      await showPage(ctx, 0);
      return;
    }
    const outcome = await ctx.scope.exec({
      type: 'SelectVoice',
      voiceId: voice.id,
      provider: voice.provider,
      languages: voiceLanguages(voice),
    });
    if (await answeredOutOfStep(ctx, outcome)) return;
    answer(ctx);
    if (
      ctx.callbackQuery?.message &&
      !('text' in ctx.callbackQuery.message && ctx.callbackQuery.message.text)
    ) {
      // Picked from under a preview clip: confirm there, the script prompt follows as a new
      // message.
      await ctx
        .editMessageCaption({ caption: ctx.scope.t.voiceChosen(voice.name), ...HTML })
        .catch(() => undefined);
    }
    // A script already written stays: changing the voice (say, to one that can read it) goes back
    // to the confirmation.
    await showScreen(ctx, ctx.scope.state.draft.script ? 'confirm' : 'script');
  });

  return composer;
}
