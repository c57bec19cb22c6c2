import { Composer, InlineKeyboard } from 'grammy';
import { defaultCaptionStyle, type CaptionStyle } from '../../domain/events/values.js';
import type { WizardDraft } from '../../domain/user/state.js';
import { CaptionPreviews } from '../../catalog/caption-previews.js';
import type { BotContext } from '../bot-context.js';
import { cb, type CaptionStyleCode } from '../callback-data.js';
import { t as messagesFor, type Messages } from '../i18n/index.js';
import { sendStoredMedia } from '../media.js';
import { answeredOutOfStep } from '../middleware/step-guard.js';
import { showScreen } from '../screens.js';
import { HTML, answer, send, withNav } from '../ui.js';
import { onAction, type ModuleEnv } from './module-env.js';

/** The buttons' order: the styles as the preview shows them left to right, then none. */
const choices: readonly CaptionStyleCode[] = ['classic', 'bold', 'boxed', 'none'];

/** The style a generation from this draft gets: the one picked, else the format's default. */
export function draftCaptionStyle(draft: WizardDraft): CaptionStyle {
  return draft.captionStyle ?? (draft.format === null ? 'none' : defaultCaptionStyle(draft.format));
}

function previewText(t: Messages) {
  return {
    sampleWords: t.captionSample.split(/\s+/u).filter(Boolean),
    labels: {
      classic: t.captionStyleName('classic'),
      bold: t.captionStyleName('bold'),
      boxed: t.captionStyleName('boxed'),
    },
  };
}

/**
 * Starts drawing the previews of both languages when the bot starts, so the first user after a
 * deploy does not wait for ffmpeg; a failure here is retried on first use (and logged there).
 */
function warmed(previews: CaptionPreviews): CaptionPreviews {
  for (const language of ['en', 'ru'] as const)
    void previews.imageKey(previewText(messagesFor(language))).catch(() => undefined);
  return previews;
}

function styleKeyboard(t: Messages, current: CaptionStyle): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  choices.forEach((style, i) => {
    keyboard.text(
      `${style === current ? '✅ ' : ''}${t.captionStyleName(style)}`,
      cb({ kind: 'captions', style }),
    );
    if (i % 2 === 1) keyboard.row();
  });
  return withNav(keyboard, t, { kind: 'screen', screen: 'script' });
}

/**
 * Step 4b: the caption style, picked from one picture of every style burned over a catalog
 * portrait by the renderer that burns the videos, with a button per style and one for none. It
 * comes with the script's confirmation (the picture, then the confirmation under it): the step has
 * a default, so Generate needs no pick, and a pick shows the confirmation again with its style.
 */
export function captionSelectionModule(env: ModuleEnv): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const { deps } = env;
  const previews =
    deps.captionPreviews ??
    warmed(
      new CaptionPreviews({
        storage: deps.storage,
        catalog: deps.catalog,
        log: deps.log.child({ component: 'caption-previews' }),
      }),
    );

  env.screens.define('captions', async (ctx) => {
    const { t, state } = ctx.scope;
    const current = draftCaptionStyle(state.draft);
    const keyboard = styleKeyboard(t, current);
    const caption = t.captionsScreen(t.captionStyleName(current));
    const chatId = ctx.chat?.id ?? ctx.scope.userId;
    let key: string;
    try {
      key = await previews.imageKey(previewText(t));
    } catch (error) {
      // The wizard goes on without the picture rather than stopping at a broken renderer.
      deps.log.error(
        { err: error, userId: ctx.scope.userId },
        'the caption style preview could not be rendered',
      );
      await send(ctx, `${caption}\n\n${t.captionsPreviewMissing}`, keyboard);
      return;
    }
    await sendStoredMedia(env, key, (media) =>
      ctx.api.sendPhoto(chatId, media, { ...HTML, caption, reply_markup: keyboard }),
    );
  });

  onAction(env, 'captions', async (ctx, action) => {
    const { t } = ctx.scope;
    const outcome = await ctx.scope.exec({ type: 'SelectCaptionStyle', style: action.style });
    if (await answeredOutOfStep(ctx, outcome)) return;
    answer(ctx, t.captionStyleName(action.style));
    // The preview stays, its tick on the style now chosen, for changing it again.
    const current = draftCaptionStyle(outcome.state.draft);
    const message = ctx.callbackQuery?.message;
    const edit =
      message && 'photo' in message && message.photo
        ? ctx.editMessageCaption({
            ...HTML,
            caption: t.captionsScreen(t.captionStyleName(current)),
            reply_markup: styleKeyboard(t, current),
          })
        : ctx.editMessageReplyMarkup({ reply_markup: styleKeyboard(t, current) });
    await edit.catch((error: unknown) =>
      deps.log.debug({ err: error }, 'could not move the tick on the caption preview'),
    );
    await showScreen(ctx, 'confirm');
  });

  return composer;
}
