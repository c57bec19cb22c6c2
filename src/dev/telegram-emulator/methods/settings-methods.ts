import type { BotCommand, MenuButton } from 'grammy/types';
import { badRequest } from '../bot-api-error.js';
import type { MethodCall, MethodHandler, MethodTable } from './method-registry.js';

function setMyCommands({ params, state }: MethodCall): boolean {
  const commands = params.json<BotCommand[]>('commands', 'commands JSON object');
  if (!Array.isArray(commands)) throw badRequest('commands is empty');
  if (commands.length > 100) throw badRequest('too many commands');
  for (const command of commands) {
    if (typeof command.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(command.command))
      throw badRequest('BOT_COMMAND_INVALID');
    if (
      typeof command.description !== 'string' ||
      command.description.length < 1 ||
      command.description.length > 256
    ) {
      throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
    }
  }
  state.settings.setCommands(params.json('scope'), params.optString('language_code'), commands);
  return true;
}

function setChatMenuButton({ params, state }: MethodCall): boolean {
  const chatId = params.optInt('chat_id');
  if (chatId !== undefined && state.chats.get(chatId) === undefined)
    throw badRequest('chat not found');
  state.settings.setMenuButton(
    chatId,
    params.json<MenuButton>('menu_button') ?? { type: 'default' },
  );
  return true;
}

function getChat({ params, state }: MethodCall): Record<string, unknown> {
  const record = state.chats.get(params.chatId());
  if (record === undefined) throw badRequest('chat not found');
  return {
    ...record.chat,
    accent_color_id: 0,
    max_reaction_count: 11,
    accepted_gift_types: {
      unlimited_gifts: false,
      limited_gifts: false,
      unique_gifts: false,
      premium_subscription: false,
      gifts_from_channels: false,
    },
  };
}

/** setMyDescription & co: store per language, read back the same way. */
function profileText(
  kind: string,
  field: string,
  limit: number,
): { set: MethodHandler; get: MethodHandler } {
  return {
    set: ({ params, state }) => {
      const value = params.optString(field) ?? '';
      if (value.length > limit) throw badRequest(`${field} is too long`);
      state.settings.setText(kind, params.optString('language_code'), value);
      return true;
    },
    get: ({ params, state }) => ({
      [field]: state.settings.getText(kind, params.optString('language_code')),
    }),
  };
}

const description = profileText('description', 'description', 512);
const shortDescription = profileText('short_description', 'short_description', 120);
const name = profileText('name', 'name', 64);

export const settingsMethods: MethodTable = {
  setMyCommands,
  getMyCommands: ({ params, state }) =>
    state.settings.getCommands(params.json('scope'), params.optString('language_code')),
  deleteMyCommands: ({ params, state }) => {
    state.settings.deleteCommands(params.json('scope'), params.optString('language_code'));
    return true;
  },
  setChatMenuButton,
  getChatMenuButton: ({ params, state }) => state.settings.getMenuButton(params.optInt('chat_id')),
  getChat,
  setMyDescription: description.set,
  getMyDescription: description.get,
  setMyShortDescription: shortDescription.set,
  getMyShortDescription: shortDescription.get,
  setMyName: name.set,
  getMyName: name.get,
};
