import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Composer, GrammyError, InlineKeyboard } from 'grammy';
import type { Document, Video } from 'grammy/types';
import { shownClipSeconds } from '../../domain/user/background-clip.js';
import { missingDraftFields } from '../../domain/user/state.js';
import type { UploadRejection } from '../../ports/media-probe.js';
import type { BotContext } from '../bot-context.js';
import { cb } from '../callback-data.js';
import type { Messages } from '../i18n/index.js';
import { DownloadTooLargeError, downloadTelegramFile, sendStoredMedia } from '../media.js';
import { reportError } from '../middleware/guards.js';
import { answeredOutOfStep } from '../middleware/step-guard.js';
import { screenForStep, showScreen } from '../screens.js';
import { HTML, answer, answerNow, send, show, withNav } from '../ui.js';
import {
  BACKGROUND_MAX_BYTES,
  BACKGROUND_MAX_SEC,
  awaiting,
  onAction,
  type ModuleEnv,
} from './module-env.js';

const MB = 1024 * 1024;

const containerTypes: Readonly<Record<string, { ext: string; mime: string }>> = {
  mp4: { ext: 'mp4', mime: 'video/mp4' },
  mov: { ext: 'mov', mime: 'video/quicktime' },
  avi: { ext: 'avi', mime: 'video/x-msvideo' },
};

/** Step 1: format (with example videos), the background clip upload and the overlay shape. */
export function formatSelectionModule(env: ModuleEnv): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const { deps } = env;

  env.screens.define('create', async (ctx) => {
    const { t, state } = ctx.scope;
    const draft = state.draft;
    const missing = missingDraftFields(draft);
    const next = draft.format === null ? null : (missing[0] ?? null);
    const keyboard = new InlineKeyboard()
      .text(t.btnTalkingHead, cb({ kind: 'format', format: 'talking_head' }))
      .row()
      .text(t.btnBackgroundFormat, cb({ kind: 'format', format: 'background' }))
      .row()
      .text(t.btnExampleTalkingHead, cb({ kind: 'example', format: 'talking_head' }))
      .row()
      .text(t.btnExampleBackground, cb({ kind: 'example', format: 'background' }));
    if (draft.format !== null) {
      const label = next === null ? t.btnGenerate(deps.config.COST_UGC_VIDEO) : t.missingStep(next);
      keyboard
        .row()
        .text(
          t.btnResume(label),
          cb({ kind: 'screen', screen: next === null ? 'confirm' : screenForStep(next, draft) }),
        );
    }
    await show(
      ctx,
      t.formatScreen(next === null ? null : t.missingStep(next)),
      withNav(keyboard, t),
    );
  });

  env.screens.define(
    'background',
    async (ctx) => {
      const { t, state } = ctx.scope;
      const hasCurrent =
        state.draft.format === 'background' && state.draft.backgroundVideo !== null;
      const keyboard = new InlineKeyboard();
      if (hasCurrent) keyboard.text(t.btnKeepBackground, cb({ kind: 'screen', screen: 'shape' }));
      await show(
        ctx,
        t.backgroundAsk(hasCurrent),
        withNav(keyboard, t, { kind: 'screen', screen: 'create' }),
      );
    },
    { awaits: 'background_video' },
  );

  env.screens.define('shape', async (ctx) => {
    const { t } = ctx.scope;
    // The default first: what a generation gets when the user never picks.
    const keyboard = new InlineKeyboard()
      .text(t.btnCutout, cb({ kind: 'shape', shape: 'cutout' }))
      .row()
      .text(t.btnCircle, cb({ kind: 'shape', shape: 'circle' }))
      .row()
      .text(t.btnRoundedRect, cb({ kind: 'shape', shape: 'rounded_rect' }));
    await show(ctx, t.shapeScreen, withNav(keyboard, t, { kind: 'screen', screen: 'background' }));
  });

  onAction(env, 'example', async (ctx, action) => {
    const { t } = ctx.scope;
    const example = await deps.catalog.exampleVideo(action.format);
    if (!example) {
      answer(ctx, t.exampleMissing, { alert: true });
      return;
    }
    await answerNow(ctx);
    const chatId = ctx.chat?.id ?? ctx.scope.userId;
    await ctx.api.sendChatAction(chatId, 'upload_video').catch(() => undefined);
    await sendStoredMedia(env, example.videoKey, (media) =>
      ctx.api.sendVideo(chatId, media, {
        ...HTML,
        caption: t.exampleCaption(action.format),
        width: example.width,
        height: example.height,
        duration: Math.round(example.durationSec),
        supports_streaming: true,
        reply_markup: new InlineKeyboard().text(
          t.btnChooseThisFormat,
          cb({ kind: 'format', format: action.format }),
        ),
      }),
    );
  });

  onAction(env, 'format', async (ctx, action) => {
    answer(ctx);
    await ctx.scope.exec({ type: 'SelectFormat', format: action.format });
    await showScreen(ctx, action.format === 'background' ? 'background' : 'gender');
  });

  onAction(env, 'shape', async (ctx, action) => {
    const outcome = await ctx.scope.exec({ type: 'SelectOverlayShape', shape: action.shape });
    if (await answeredOutOfStep(ctx, outcome)) return;
    answer(ctx);
    await showScreen(ctx, 'gender');
  });

  composer.filter(awaiting('background_video'), async (ctx) => {
    const message = ctx.message;
    const file: Video | Document | undefined = message?.video ?? message?.document;
    if (!file) {
      // A photo, a text, a sticker… where a clip is expected.
      const { t } = ctx.scope;
      await send(
        ctx,
        t.bgNotAVideo,
        withNav(new InlineKeyboard(), t, { kind: 'screen', screen: 'create' }),
      );
      return;
    }
    // Download, probe and store run after the update is answered: a webhook must reply within
    // its deadline, and a long poll must not stall everyone else's updates behind one clip.
    void receiveBackground(ctx, env, file, message?.document !== undefined).catch(
      (error: unknown) => reportError(deps, ctx, error),
    );
  });

  return composer;
}

async function receiveBackground(
  ctx: BotContext,
  env: ModuleEnv,
  file: Video | Document,
  isDocument: boolean,
): Promise<void> {
  const { deps } = env;
  const { t, userId } = ctx.scope;
  const retry = () => withNav(new InlineKeyboard(), t, { kind: 'screen', screen: 'create' });
  let checking = 0;
  const fail = async (text: string): Promise<void> => {
    if (checking > 0) await editOrSend(ctx, checking, text, retry());
    else await send(ctx, text, retry());
  };

  // Telegram's bots may download at most 20 MB: check the declared size before asking for it.
  if (file.file_size !== undefined && file.file_size > BACKGROUND_MAX_BYTES) {
    await fail(t.bgTooLarge((file.file_size / MB).toFixed(1), BACKGROUND_MAX_BYTES / MB));
    return;
  }
  const mime = (file.mime_type ?? '').toLowerCase();
  const name = 'file_name' in file ? (file.file_name ?? '') : '';
  if (
    isDocument &&
    mime !== '' &&
    !mime.startsWith('video/') &&
    mime !== 'application/octet-stream' &&
    !/\.(mp4|mov|avi)$/i.test(name)
  ) {
    await fail(t.bgUnsupported(mime));
    return;
  }

  checking = await send(ctx, t.bgChecking);
  const dir = await mkdtemp(join(tmpdir(), 'ugc-upload-'));
  try {
    let filePath: string | undefined;
    try {
      filePath = (await ctx.api.getFile(file.file_id)).file_path;
    } catch (error) {
      if (error instanceof GrammyError && /too big/i.test(error.description)) {
        await fail(t.bgTooLarge('> 20', BACKGROUND_MAX_BYTES / MB));
        return;
      }
      throw error;
    }
    if (!filePath) {
      await fail(t.bgDownloadFailed);
      return;
    }
    const local = join(dir, 'upload');
    try {
      await downloadTelegramFile(env, filePath, local, BACKGROUND_MAX_BYTES);
    } catch (error) {
      deps.log.warn({ err: error, userId }, 'background download failed');
      await fail(
        error instanceof DownloadTooLargeError
          ? t.bgTooLarge('> 20', BACKGROUND_MAX_BYTES / MB)
          : t.bgDownloadFailed,
      );
      return;
    }

    const check = await deps.probe.checkBackgroundUpload(local, {
      maxDurationSec: BACKGROUND_MAX_SEC,
      maxBytes: BACKGROUND_MAX_BYTES,
    });
    if (!check.ok) {
      await fail(uploadRejectionText(t, check.rejection));
      return;
    }
    const { info } = check;
    const type = containerTypes[info.container];
    if (!type || !info.video) {
      await fail(type ? t.bgNoVideo : t.bgUnsupported(info.container));
      return;
    }
    const assetId = ctx.scope.derivedId('bg');
    const storageKey = `uploads/${userId}/${assetId}.${type.ext}`;
    await deps.storage.putFile(storageKey, local, type.mime);
    const outcome = await ctx.scope.exec({
      type: 'UploadBackgroundVideo',
      assetId,
      storageKey,
      durationSec: info.durationSec,
      sizeBytes: info.sizeBytes,
      width: info.video.width,
      height: info.video.height,
      mimeType: type.mime,
      // The labelled limit: the domain adds the same tolerance the probe did (`clipFits`).
      maxDurationSec: BACKGROUND_MAX_SEC,
      maxSizeBytes: BACKGROUND_MAX_BYTES,
    });
    if (!outcome.ok) {
      await deps.storage.delete(storageKey).catch(() => undefined);
      // The user switched to the talking head while the clip was being checked.
      if (await answeredOutOfStep(ctx, outcome)) {
        if (checking > 0) await editOrSend(ctx, checking, t.bgNotUsed);
        return;
      }
      const details = outcome.rejection.details ?? {};
      const text =
        outcome.rejection.code === 'video_too_long'
          ? t.bgTooLong(
              shownClipSeconds(Number(details.durationSec ?? info.durationSec)),
              BACKGROUND_MAX_SEC,
            )
          : outcome.rejection.code === 'video_too_large'
            ? t.bgTooLarge((info.sizeBytes / MB).toFixed(1), BACKGROUND_MAX_BYTES / MB)
            : outcome.rejection.code === 'unsupported_video_type'
              ? t.bgUnsupported(type.mime)
              : t.bgCorrupt;
      await fail(text);
      return;
    }
    await editOrSend(
      ctx,
      checking,
      t.bgAccepted(info.durationSec, info.video.width, info.video.height),
    );
    await showScreen(ctx, 'shape');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function editOrSend(
  ctx: BotContext,
  messageId: number,
  text: string,
  keyboard?: InlineKeyboard,
): Promise<void> {
  const chatId = ctx.chat?.id;
  if (chatId !== undefined && messageId > 0) {
    try {
      await ctx.api.editMessageText(chatId, messageId, text, {
        ...HTML,
        ...(keyboard ? { reply_markup: keyboard } : {}),
      });
      return;
    } catch {
      // fall through to a new message
    }
  }
  await send(ctx, text, keyboard);
}

export function uploadRejectionText(t: Messages, rejection: UploadRejection): string {
  switch (rejection.code) {
    case 'too_large':
      return t.bgTooLarge(
        (rejection.sizeBytes / MB).toFixed(1),
        Math.round(rejection.maxBytes / MB),
      );
    case 'too_long':
      return t.bgTooLong(shownClipSeconds(rejection.durationSec), rejection.maxSec);
    case 'unsupported_format':
      return t.bgUnsupported(rejection.detected);
    case 'corrupt':
      return t.bgCorrupt;
    case 'no_video_stream':
      return t.bgNoVideo;
    default:
      return t.bgCorrupt;
  }
}
