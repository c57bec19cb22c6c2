import type { BotCommand, MenuButton } from 'grammy/types';

/** Commands, menu buttons and profile texts the bot configured; scoped like Telegram's. */
export class BotSettings {
  private readonly commands = new Map<string, BotCommand[]>();
  private readonly menuButtons = new Map<string, MenuButton>();
  private readonly texts = new Map<string, string>();

  setCommands(scope: unknown, languageCode: string | undefined, commands: BotCommand[]): void {
    this.commands.set(commandKey(scope, languageCode), commands);
  }

  getCommands(scope: unknown, languageCode: string | undefined): BotCommand[] {
    return this.commands.get(commandKey(scope, languageCode)) ?? [];
  }

  deleteCommands(scope: unknown, languageCode: string | undefined): void {
    this.commands.delete(commandKey(scope, languageCode));
  }

  setMenuButton(chatId: number | undefined, button: MenuButton): void {
    this.menuButtons.set(chatId === undefined ? 'default' : String(chatId), button);
  }

  getMenuButton(chatId: number | undefined): MenuButton {
    return (
      (chatId === undefined ? undefined : this.menuButtons.get(String(chatId))) ??
      this.menuButtons.get('default') ?? { type: 'default' }
    );
  }

  setText(kind: string, languageCode: string | undefined, value: string): void {
    this.texts.set(`${kind}|${languageCode ?? ''}`, value);
  }

  getText(kind: string, languageCode: string | undefined): string {
    return this.texts.get(`${kind}|${languageCode ?? ''}`) ?? '';
  }
}

function commandKey(scope: unknown, languageCode: string | undefined): string {
  const normalized = scope === undefined || scope === null ? { type: 'default' } : scope;
  return `${JSON.stringify(normalized)}|${languageCode ?? ''}`;
}
