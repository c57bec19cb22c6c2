import { Composer, type Api } from 'grammy';
import type { BotCommand } from 'grammy/types';
import type { BotContext } from '../bot-context.js';
import type { Screen } from '../callback-data.js';
import { messages, type Messages } from '../i18n/index.js';
import { currentStepKeyboard } from '../middleware/step-guard.js';
import { showScreen } from '../screens.js';
import { answer, mainMenuKeyboard, send } from '../ui.js';
import { onAction, type ModuleEnv } from './module-env.js';

const commandScreens: Readonly<Record<string, Screen>> = {
  main: 'main',
  menu: 'main',
  create_ads: 'create',
  credits: 'credits',
  history: 'history',
  feedback: 'feedback',
  help: 'help',
  profile: 'profile',
};

/** Slash commands and the generic "go to screen" buttons (back, main menu, menu entries). */
export function navigationModule(env: ModuleEnv): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  for (const [command, screen] of Object.entries(commandScreens)) {
    composer.command(command, (ctx) => showScreen(ctx, screen));
  }
  onAction(env, 'screen', async (ctx, action) => {
    answer(ctx);
    await showScreen(ctx, action.screen);
  });
  return composer;
}

export function commandList(t: Messages): BotCommand[] {
  return [
    { command: 'start', description: t.cmdStart },
    { command: 'main', description: t.cmdMain },
    { command: 'create_ads', description: t.cmdCreateAds },
    { command: 'history', description: t.cmdHistory },
    { command: 'credits', description: t.cmdCredits },
    { command: 'feedback', description: t.cmdFeedback },
    { command: 'help', description: t.cmdHelp },
    { command: 'paysupport', description: t.cmdPaySupport },
    { command: 'terms', description: t.cmdTerms },
  ];
}

/** Registers the command menu: English by default, Russian for Russian-language clients. */
export async function setBotCommands(api: Api): Promise<void> {
  await api.setMyCommands(commandList(messages.en));
  await api.setMyCommands(commandList(messages.ru), { language_code: 'ru' });
}

export async function replyUnknownCommand(ctx: BotContext): Promise<void> {
  const { t } = ctx.scope;
  await send(ctx, t.unknownCommand, mainMenuKeyboard(t));
}

/**
 * Last in the chain: unknown commands, unexpected messages (a sticker, a location, a poll… or text
 * where no input is awaited), edits of earlier messages, buttons no module claimed. Each gets an
 * answer and changes nothing; a user in the middle of a draft is offered the way back to it.
 */
export function fallbackModule(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on('message', async (ctx) => {
    const { t, state } = ctx.scope;
    const entity = ctx.message.entities?.[0];
    if (entity?.type === 'bot_command' && entity.offset === 0) return replyUnknownCommand(ctx);
    await send(
      ctx,
      t.useMenu,
      state.draft.format === null ? mainMenuKeyboard(t) : currentStepKeyboard(ctx),
    );
  });
  composer.on('edited_message', async (ctx) => {
    await send(ctx, ctx.scope.t.editedMessageIgnored, currentStepKeyboard(ctx));
  });
  composer.on('callback_query', async (ctx) => {
    const { t, state } = ctx.scope;
    answer(ctx, t.outdatedButton);
    await send(
      ctx,
      `${t.outdatedButton}\n\n${t.mainMenu(state.firstName ?? ctx.from.first_name, state.balance)}`,
      mainMenuKeyboard(t),
    );
  });
  return composer;
}
