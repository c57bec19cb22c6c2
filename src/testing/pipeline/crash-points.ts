import {
  GenerationCommands,
  type GenerationCommandOutcome,
} from '../../commands/generation-commands.js';
import type { CommandHandlerOptions } from '../../commands/command-handler.js';
import type { CommandContext } from '../../commands/command-context.js';
import { UserCommands, type UserCommandOutcome } from '../../commands/user-commands.js';
import type { GenerationCommand, GenerationCommandType } from '../../domain/generation/commands.js';
import type { UserCommand, UserCommandType } from '../../domain/user/commands.js';

/**
 * A "process death" right after a command is durably recorded: the append has committed, then
 * `crash` runs (it halts the pipeline) and the caller never hears back, as a killed process never
 * would. Whatever the next instance does must start from the log alone.
 */
export class CrashingGenerationCommands extends GenerationCommands {
  private fired = false;

  constructor(
    options: CommandHandlerOptions,
    private readonly after: GenerationCommandType,
    private readonly crash: () => void,
  ) {
    super(options);
  }

  override async execute(
    generationId: string,
    command: GenerationCommand,
    context: CommandContext,
  ): Promise<GenerationCommandOutcome> {
    const outcome = await super.execute(generationId, command, context);
    if (!this.fired && command.type === this.after && outcome.ok) {
      this.fired = true;
      this.crash();
      return new Promise<never>(() => undefined);
    }
    return outcome;
  }
}

export class CrashingUserCommands extends UserCommands {
  private fired = false;

  constructor(
    options: CommandHandlerOptions,
    private readonly after: UserCommandType,
    private readonly crash: () => void,
  ) {
    super(options);
  }

  override async execute(
    telegramId: number,
    command: UserCommand,
    context: CommandContext,
  ): Promise<UserCommandOutcome> {
    const outcome = await super.execute(telegramId, command, context);
    if (!this.fired && command.type === this.after && outcome.ok) {
      this.fired = true;
      this.crash();
      return new Promise<never>(() => undefined);
    }
    return outcome;
  }
}
