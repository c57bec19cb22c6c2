import { join } from 'node:path';
import { autoRetry } from '@grammyjs/auto-retry';
import { PsqlAdapter } from '@grammyjs/storage-psql';
import {
  Bot,
  InlineKeyboard,
  InputFile,
  InputMediaBuilder,
  session,
  type Context,
  type SessionFlavor,
  type StorageAdapter,
} from 'grammy';
import type { Message } from 'grammy/types';
import type pg from 'pg';
import { decodeCallback, cb, type GenderCode } from '../../src/bot/callback-data.js';
import { clip } from '../../src/bot/html.js';
import { t as messagesFor, type Messages } from '../../src/bot/i18n/index.js';
import { SCRIPT_MAX_CHARS } from '../../src/bot/modules/module-env.js';
import { VOICES_PER_PAGE } from '../../src/bot/modules/voice-selection.js';
import { isEditImpossible, isNotModified, mainMenuKeyboard, withNav } from '../../src/bot/ui.js';
import type { CatalogManifest } from '../../src/catalog/catalog-manifest.js';
import { paginate } from '../../src/catalog/paginate.js';
import { orderVoices } from '../../src/catalog/voice-order.js';
import { isSpeakable, toSpeechText } from '../../src/domain/user/speech-text.js';

/** The wizard as the conventional grammY bot keeps it: one JSON session per chat. */
export interface WizardSession {
  registered: boolean;
  firstName: string | null;
  balance: number;
  awaiting: 'script' | null;
  draft: {
    format: 'talking_head' | 'background' | null;
    gender: GenderCode | null;
    characterId: string | null;
    voiceId: string | null;
    script: { text: string; speechText: string } | null;
  };
}

type BaselineContext = Context & SessionFlavor<WizardSession>;

export interface BaselineBotOptions {
  readonly token: string;
  readonly apiRoot: string;
  readonly manifest: CatalogManifest;
  readonly catalogDir: string;
  readonly pool: pg.Pool;
  readonly defaultCredits: number;
  readonly costPerVideo: number;
  readonly maxAudioSec: number;
}

const HTML = { parse_mode: 'HTML' } as const;
const NO_PREVIEW = { link_preview_options: { is_disabled: true } } as const;

/**
 * The comparison subject of the wizard benchmark: the same screens, texts, buttons and Bot API
 * calls as our bot for the wizard path (/start → format → character gallery → voice → script →
 * confirmation), but the state lives where most grammY bots keep it — a session row per chat in
 * PostgreSQL through `@grammyjs/storage-psql`, read before and written after every update. No
 * events, no projections, no idempotency: the conventional approach, minimal on purpose.
 */
export async function createSessionsBaselineBot(
  options: BaselineBotOptions,
): Promise<Bot<BaselineContext>> {
  const bot = new Bot<BaselineContext>(options.token, { client: { apiRoot: options.apiRoot } });
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60 }));
  // The adapter only calls `client.query(text, params)`; a pool answers that like a client and
  // lets concurrent updates use several connections, as our event store's pool does.
  const storage = (await PsqlAdapter.create({
    tableName: 'sessions',
    client: options.pool as unknown as pg.Client,
  })) as StorageAdapter<WizardSession>;
  bot.use(
    session({
      initial: (): WizardSession => ({
        registered: false,
        firstName: null,
        balance: 0,
        awaiting: null,
        draft: { format: null, gender: null, characterId: null, voiceId: null, script: null },
      }),
      storage,
    }),
  );

  const characters = options.manifest.characters;
  // In the order the real bot shows an English user (their language first), so both subjects'
  // wizards press the same buttons.
  const voices = orderVoices(options.manifest.voices, { userLanguage: 'en' }).map(
    ({ voice }) => voice,
  );
  const fileIds = new Map<string, string>();
  const t: Messages = messagesFor('en');

  const send = async (
    ctx: BaselineContext,
    text: string,
    keyboard?: InlineKeyboard,
  ): Promise<Message> =>
    ctx.api.sendMessage(ctx.chat?.id ?? ctx.from!.id, text, {
      ...HTML,
      ...NO_PREVIEW,
      ...(keyboard ? { reply_markup: keyboard } : {}),
    });

  // Edit the pressed text message, else send a new one: the same rule as our `show`.
  const show = async (
    ctx: BaselineContext,
    text: string,
    keyboard?: InlineKeyboard,
  ): Promise<void> => {
    const message = ctx.callbackQuery?.message;
    if (message && 'text' in message && typeof message.text === 'string') {
      try {
        await ctx.editMessageText(text, {
          ...HTML,
          ...NO_PREVIEW,
          ...(keyboard ? { reply_markup: keyboard } : {}),
        });
        return;
      } catch (error) {
        if (isNotModified(error)) return;
        if (!isEditImpossible(error)) throw error;
      }
    }
    await send(ctx, text, keyboard);
  };

  const answer = (ctx: BaselineContext) => ctx.answerCallbackQuery().catch(() => undefined);

  const photo = async (
    imageFile: string,
    sendWith: (media: string | InputFile) => Promise<Message | true>,
  ): Promise<void> => {
    const cached = fileIds.get(imageFile);
    if (cached !== undefined) {
      await sendWith(cached);
      return;
    }
    const sent = await sendWith(new InputFile(join(options.catalogDir, imageFile)));
    const id = sent === true ? undefined : sent.photo?.at(-1)?.file_id;
    if (id !== undefined) fileIds.set(imageFile, id);
  };

  const mainMenu = (ctx: BaselineContext) =>
    send(
      ctx,
      t.mainMenu(ctx.session.firstName ?? ctx.from?.first_name ?? '', ctx.session.balance),
      mainMenuKeyboard(t),
    );

  const formatScreen = (ctx: BaselineContext) => {
    const keyboard = new InlineKeyboard()
      .text(t.btnTalkingHead, cb({ kind: 'format', format: 'talking_head' }))
      .row()
      .text(t.btnBackgroundFormat, cb({ kind: 'format', format: 'background' }))
      .row()
      .text(t.btnExampleTalkingHead, cb({ kind: 'example', format: 'talking_head' }))
      .row()
      .text(t.btnExampleBackground, cb({ kind: 'example', format: 'background' }));
    return show(ctx, t.formatScreen(null), withNav(keyboard, t));
  };

  const genderScreen = (ctx: BaselineContext) => {
    const keyboard = new InlineKeyboard()
      .text(t.btnFemale, cb({ kind: 'gender', gender: 'female' }))
      .text(t.btnMale, cb({ kind: 'gender', gender: 'male' }));
    return show(ctx, t.genderScreen, withNav(keyboard, t, { kind: 'screen', screen: 'create' }));
  };

  const gallery = async (
    ctx: BaselineContext,
    gender: GenderCode,
    requested: number,
  ): Promise<void> => {
    const list = characters.filter((character) => character.gender === gender);
    const index = Math.min(Math.max(0, requested), list.length - 1);
    const character = list[index];
    if (!character) throw new Error(`no ${gender} characters in the catalog`);
    const keyboard = new InlineKeyboard();
    if (index > 0) keyboard.text(t.btnPrev, cb({ kind: 'gallery', gender, index: index - 1 }));
    if (index < list.length - 1)
      keyboard.text(t.btnNext, cb({ kind: 'gallery', gender, index: index + 1 }));
    keyboard.row().text(t.btnChooseCharacter, cb({ kind: 'character', gender, index }));
    withNav(keyboard, t, { kind: 'screen', screen: 'gender' });
    const caption = t.galleryCaption(character.name, character.age, index + 1, list.length);
    const message = ctx.callbackQuery?.message;
    const chatId = ctx.chat?.id ?? ctx.from!.id;
    if (message?.photo) {
      await photo(character.imageFile, (media) =>
        ctx.api.editMessageMedia(
          chatId,
          message.message_id,
          InputMediaBuilder.photo(media, { caption, ...HTML }),
          { reply_markup: keyboard },
        ),
      );
      return;
    }
    await photo(character.imageFile, (media) =>
      ctx.api.sendPhoto(chatId, media, { caption, ...HTML, reply_markup: keyboard }),
    );
  };

  const voicesScreen = (ctx: BaselineContext, requested: number) => {
    const page = paginate(voices, requested, VOICES_PER_PAGE);
    const keyboard = new InlineKeyboard();
    page.items.forEach((voice) => {
      keyboard
        .text(t.btnListen(clip(voice.name, 24)), cb({ kind: 'voicePreview', voiceRef: voice.id }))
        .text(t.btnPickVoice, cb({ kind: 'voice', voiceRef: voice.id }))
        .row();
    });
    if (page.page > 0) keyboard.text(t.btnPrev, cb({ kind: 'voices', page: page.page - 1 }));
    if (page.page < page.pageCount - 1)
      keyboard.text(t.btnNext, cb({ kind: 'voices', page: page.page + 1 }));
    const lines = page.items.map((voice) => t.voiceLine(voice.name, voice.language, voice.gender));
    return show(
      ctx,
      `${t.voicesScreen(page.page + 1, page.pageCount)}\n\n${lines.join('\n')}`,
      withNav(keyboard, t, { kind: 'screen', screen: 'character' }),
    );
  };

  bot.command('start', async (ctx) => {
    if (!ctx.session.registered) {
      ctx.session.registered = true;
      ctx.session.firstName = ctx.from?.first_name ?? null;
      ctx.session.balance = options.defaultCredits;
      await send(ctx, t.welcome(ctx.session.firstName ?? '', options.defaultCredits));
    }
    ctx.session.awaiting = null;
    await mainMenu(ctx);
  });

  bot.command('create_ads', async (ctx) => {
    ctx.session.awaiting = null;
    await formatScreen(ctx);
  });

  bot.on('callback_query:data', async (ctx) => {
    const action = decodeCallback(ctx.callbackQuery.data);
    await answer(ctx);
    switch (action?.kind) {
      case 'format':
        ctx.session.draft.format = action.format;
        return genderScreen(ctx);
      case 'gender':
        ctx.session.draft.gender = action.gender;
        return gallery(ctx, action.gender, 0);
      case 'gallery':
        return gallery(ctx, action.gender, action.index);
      case 'character': {
        const character = characters.filter((c) => c.gender === action.gender)[action.index];
        if (!character) return gallery(ctx, action.gender, 0);
        ctx.session.draft.characterId = character.id;
        if (ctx.callbackQuery.message?.photo) {
          await ctx
            .editMessageCaption({
              caption: t.characterChosen(character.name, character.age),
              ...HTML,
            })
            .catch(() => undefined);
        }
        const keyboard = new InlineKeyboard()
          .text(t.btnEdit, cb({ kind: 'edit', op: 'start' }))
          .row()
          .text(t.btnToVoice, cb({ kind: 'screen', screen: 'voices' }));
        return show(
          ctx,
          t.editOffer(character.name, 3),
          withNav(keyboard, t, { kind: 'gallery', gender: action.gender, index: 0 }),
        );
      }
      case 'voices':
        return voicesScreen(ctx, action.page);
      case 'voice': {
        const voice = voices.find((candidate) => candidate.id === action.voiceRef);
        if (!voice) return voicesScreen(ctx, 0);
        ctx.session.draft.voiceId = voice.id;
        ctx.session.awaiting = 'script';
        return show(
          ctx,
          t.scriptAsk(SCRIPT_MAX_CHARS, options.maxAudioSec),
          withNav(new InlineKeyboard(), t, { kind: 'screen', screen: 'voices' }),
        );
      }
      case 'screen':
        ctx.session.awaiting = null;
        if (action.screen === 'voices') return voicesScreen(ctx, 0);
        if (action.screen === 'create') return formatScreen(ctx);
        if (action.screen === 'gender') return genderScreen(ctx);
        return show(
          ctx,
          t.mainMenu(ctx.session.firstName ?? '', ctx.session.balance),
          mainMenuKeyboard(t),
        );
      default:
        return show(
          ctx,
          t.mainMenu(ctx.session.firstName ?? '', ctx.session.balance),
          mainMenuKeyboard(t),
        );
    }
  });

  bot.on('message:text', async (ctx) => {
    if (ctx.session.awaiting !== 'script') {
      await send(ctx, t.useMenu, mainMenuKeyboard(t));
      return;
    }
    const text = ctx.message.text;
    const retry = withNav(new InlineKeyboard(), t, { kind: 'screen', screen: 'voices' });
    const speechText = toSpeechText(text);
    if ([...text].length > SCRIPT_MAX_CHARS)
      return void (await send(ctx, t.scriptTooLong([...text].length, SCRIPT_MAX_CHARS), retry));
    if (!isSpeakable(speechText)) return void (await send(ctx, t.scriptEmpty, retry));
    ctx.session.draft.script = { text: text.trim(), speechText };
    ctx.session.awaiting = null;
    // Our bot sends the caption-style picture before the confirmation: the same call here, a
    // catalog image standing in for the picture (its content costs Telegram nothing more).
    const styles = new InlineKeyboard()
      .text(t.captionStyleName('classic'), cb({ kind: 'captions', style: 'classic' }))
      .text(t.captionStyleName('bold'), cb({ kind: 'captions', style: 'bold' }))
      .row()
      .text(t.captionStyleName('boxed'), cb({ kind: 'captions', style: 'boxed' }))
      .text(`✅ ${t.captionStyleName('none')}`, cb({ kind: 'captions', style: 'none' }));
    const chatId = ctx.chat.id;
    const stand = characters[0]!.imageFile;
    await photo(stand, (media) =>
      ctx.api.sendPhoto(chatId, media, {
        caption: t.captionsScreen(t.captionStyleName('none')),
        ...HTML,
        reply_markup: withNav(styles, t, { kind: 'screen', screen: 'script' }),
      }),
    );
    const keyboard = new InlineKeyboard()
      .text(t.btnGenerate(options.costPerVideo), cb({ kind: 'generate' }))
      .row()
      .text(t.btnRewrite, cb({ kind: 'screen', screen: 'script' }))
      .text(t.btnCaptions, cb({ kind: 'screen', screen: 'captions' }));
    const confirm = `${t.scriptConfirm(text.trim(), speechText, ctx.session.balance, options.costPerVideo, false)}\n${t.captionsLine(t.captionStyleName('none'))}`;
    await send(ctx, confirm, withNav(keyboard, t, { kind: 'screen', screen: 'voices' }));
  });

  return bot;
}
