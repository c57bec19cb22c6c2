import { Composer, InlineKeyboard } from 'grammy';
import { userStream } from '../../domain/events/streams.js';
import type { BotContext } from '../bot-context.js';
import { cb } from '../callback-data.js';
import { formatDate } from '../html.js';
import { messages } from '../i18n/index.js';
import { showScreen } from '../screens.js';
import { answer, mainMenuKeyboard, send, show, withNav } from '../ui.js';
import { SCRIPT_MAX_CHARS, onAction, type ModuleEnv } from './module-env.js';

/**
 * /start (registration with welcome credits happens in `ensureRegistered`), main menu, help,
 * profile.
 */
export function startModule(env: ModuleEnv): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const { config } = env.deps;

  env.screens.define('main', async (ctx) => {
    const { t, state } = ctx.scope;
    await show(
      ctx,
      t.mainMenu(state.firstName ?? ctx.from?.first_name ?? '', state.balance),
      mainMenuKeyboard(t),
    );
  });

  env.screens.define('help', async (ctx) => {
    const { t } = ctx.scope;
    await show(
      ctx,
      t.help(
        config.COST_UGC_VIDEO,
        config.MAX_AUDIO_DURATION,
        config.MAX_EDIT_ITERATIONS,
        SCRIPT_MAX_CHARS,
      ),
      withNav(new InlineKeyboard().text(t.btnCreate, cb({ kind: 'screen', screen: 'create' })), t),
    );
  });

  env.screens.define('profile', async (ctx) => {
    const { t, state, userId } = ctx.scope;
    const [first] = await env.deps.store.readStream(userStream(userId), { maxCount: 1 });
    // The domain time in the metadata: the store's own recording time is the day of a copy for a
    // moved log.
    const registered =
      typeof first?.metadata.timestamp === 'string'
        ? new Date(first.metadata.timestamp)
        : first?.createdAt;
    const since = formatDate(
      registered && !Number.isNaN(registered.getTime()) ? registered : env.deps.now(),
    );
    const keyboard = new InlineKeyboard()
      .text(t.btnLangRu, cb({ kind: 'language', language: 'ru' }))
      .text(t.btnLangEn, cb({ kind: 'language', language: 'en' }));
    await show(
      ctx,
      t.profile(state.balance, state.generationIds.length, since, t.languageName),
      withNav(keyboard, t),
    );
  });

  composer.command('start', async (ctx) => {
    const { t, state, justRegistered } = ctx.scope;
    if (justRegistered)
      await send(
        ctx,
        t.welcome(state.firstName ?? ctx.from?.first_name ?? '', config.DEFAULT_CREDITS),
      );
    await showScreen(ctx, 'main');
  });

  onAction(env, 'language', async (ctx, action) => {
    const outcome = await ctx.scope.exec({ type: 'ChangeLanguage', language: action.language });
    if (outcome.ok) ctx.scope.setLanguage(action.language);
    answer(ctx, messages[action.language].languageChanged);
    await showScreen(ctx, 'profile');
  });

  return composer;
}
