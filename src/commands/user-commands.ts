import type { UserEvent } from '../domain/events/user-events.js';
import { userStream } from '../domain/events/streams.js';
import type { UserCommand } from '../domain/user/commands.js';
import type { UserRejection } from '../domain/user/rejections.js';
import type { UserState } from '../domain/user/state.js';
import { userDecider } from '../domain/user/user-decider.js';
import type { CommandContext } from './command-context.js';
import {
  CommandHandler,
  type CommandHandlerOptions,
  type CommandOutcome,
  type HandleOptions,
} from './command-handler.js';

export type UserCommandOutcome = CommandOutcome<UserState, UserEvent, UserRejection>;

/** Commands on `user-{telegramId}` streams. */
export class UserCommands {
  private readonly handler: CommandHandler<UserCommand, UserEvent, UserState, UserRejection>;

  constructor(options: CommandHandlerOptions) {
    this.handler = new CommandHandler(userDecider, options);
  }

  execute(
    telegramId: number,
    command: UserCommand,
    context: CommandContext,
    options: HandleOptions = {},
  ): Promise<UserCommandOutcome> {
    return this.handler.handle(userStream(telegramId), command, context, options);
  }

  async state(telegramId: number): Promise<UserState> {
    return (await this.handler.load(userStream(telegramId))).state;
  }

  /** The user's state read from their stream, with the revision it is at. */
  load(telegramId: number): Promise<{ state: UserState; revision: bigint }> {
    return this.handler.load(userStream(telegramId));
  }

  /** The user's state as this process last saw it, unread; see `CommandHandler.cached`. */
  cached(telegramId: number): { state: UserState; revision: bigint } | undefined {
    return this.handler.cached(userStream(telegramId));
  }
}
