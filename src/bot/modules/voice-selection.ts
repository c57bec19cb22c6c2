import { extname } from 'node:path';
import { Composer, InlineKeyboard } from 'grammy';
import type { Voice } from '../../ports/speech-synthesizer.js';
import type { BotContext } from '../bot-context.js';
import { cb } from '../callback-data.js';
import { clip } from '../html.js';
import { sendStoredMedia } from '../media.js';
import { showScreen } from '../screens.js';
import { HTML, answer, show, withNav } from '../ui.js';
import { onAction, type ModuleEnv } from './module-env.js';

export const VOICES_PER_PAGE = 4;

/** Step 3: a paged voice gallery; ▶️ sends the preview clip, ✅ picks the voice. */
export function voiceSelectionModule(env: ModuleEnv): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const { catalog } = env.deps;

  const showPage = async (ctx: BotContext, requested: number): Promise<void> => {
    const { t } = ctx.scope;
    const back = { kind: 'screen', screen: 'character' } as const;
    let page = await catalog.voices(Math.max(0, requested), VOICES_PER_PAGE);
    if (page.items.length === 0 && page.total > 0) page = await catalog.voices(Math.max(0, page.pageCount - 1), VOICES_PER_PAGE);
    if (page.items.length === 0) {
      await show(ctx, t.voicesEmpty, withNav(new InlineKeyboard(), t, back));
      return;
    }
    const keyboard = new InlineKeyboard();
    page.items.forEach((voice, i) => {
      const index = page.page * VOICES_PER_PAGE + i;
      keyboard.text(t.btnListen(clip(voice.name, 24)), cb({ kind: 'voicePreview', index })).text(t.btnPickVoice, cb({ kind: 'voice', index })).row();
    });
    if (page.page > 0) keyboard.text(t.btnPrev, cb({ kind: 'voices', page: page.page - 1 }));
    if (page.page < page.pageCount - 1) keyboard.text(t.btnNext, cb({ kind: 'voices', page: page.page + 1 }));
    const lines = page.items.map((voice) => t.voiceLine(voice.name, voice.language, voice.gender));
    await show(ctx, `${t.voicesScreen(page.page + 1, page.pageCount)}\n\n${lines.join('\n')}`, withNav(keyboard, t, back));
  };

  env.screens.define('voices', (ctx) => showPage(ctx, 0));

  onAction(composer, 'voices', async (ctx, action) => {
    await answer(ctx);
    await showPage(ctx, action.page);
  });

  const voiceAt = async (index: number): Promise<Voice | undefined> => (await catalog.voices(index, 1)).items[0];

  onAction(composer, 'voicePreview', async (ctx, action) => {
    const { t } = ctx.scope;
    const voice = await voiceAt(action.index);
    if (!voice) {
      await answer(ctx, t.outdatedButton);
      await showPage(ctx, 0);
      return;
    }
    const chatId = ctx.chat?.id ?? ctx.scope.userId;
    const caption = t.voicePreviewCaption(voice.name);
    const keyboard = new InlineKeyboard().text(`${t.btnPickVoice} ${clip(voice.name, 30)}`, cb({ kind: 'voice', index: action.index }));
    if (voice.previewKey) {
      await answer(ctx);
      const key = voice.previewKey;
      const asVoice = ['.ogg', '.oga', '.opus'].includes(extname(key).toLowerCase());
      await sendStoredMedia(env, key, (media) =>
        asVoice
          ? ctx.api.sendVoice(chatId, media, { caption, ...HTML, reply_markup: keyboard })
          : ctx.api.sendAudio(chatId, media, { caption, ...HTML, title: voice.name, reply_markup: keyboard }),
      );
      return;
    }
    if (voice.previewUrl) {
      await answer(ctx);
      await ctx.api.sendAudio(chatId, voice.previewUrl, { caption, ...HTML, title: voice.name, reply_markup: keyboard });
      return;
    }
    await answer(ctx, t.voiceNoPreview);
  });

  onAction(composer, 'voice', async (ctx, action) => {
    const voice = await voiceAt(action.index);
    if (!voice) {
      await answer(ctx, ctx.scope.t.outdatedButton);
      await showPage(ctx, 0);
      return;
    }
    await ctx.scope.exec({ type: 'SelectVoice', voiceId: voice.id, provider: voice.provider });
    await answer(ctx);
    if (ctx.callbackQuery?.message && !('text' in ctx.callbackQuery.message && ctx.callbackQuery.message.text)) {
      // Picked from under a preview clip: confirm there, the script prompt follows as a new message.
      await ctx.editMessageCaption({ caption: ctx.scope.t.voiceChosen(voice.name), ...HTML }).catch(() => undefined);
    }
    await showScreen(ctx, 'script');
  });

  return composer;
}
