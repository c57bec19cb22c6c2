import type { GenerationEvent } from '../domain/events/generation-events.js';
import { generationStream } from '../domain/events/streams.js';
import type { GenerationCommand } from '../domain/generation/commands.js';
import { generationDecider } from '../domain/generation/generation-decider.js';
import type { GenerationRejection } from '../domain/generation/rejections.js';
import type { GenerationState } from '../domain/generation/state.js';
import type { CommandContext } from './command-context.js';
import {
  CommandHandler,
  type CommandHandlerOptions,
  type CommandOutcome,
} from './command-handler.js';

export type GenerationCommandOutcome = CommandOutcome<
  GenerationState,
  GenerationEvent,
  GenerationRejection
>;

/** Commands on `generation-{id}` streams, issued by the generation pipeline. */
export class GenerationCommands {
  private readonly handler: CommandHandler<
    GenerationCommand,
    GenerationEvent,
    GenerationState,
    GenerationRejection
  >;

  constructor(options: CommandHandlerOptions) {
    this.handler = new CommandHandler(generationDecider, options);
  }

  execute(
    generationId: string,
    command: GenerationCommand,
    context: CommandContext,
  ): Promise<GenerationCommandOutcome> {
    return this.handler.handle(generationStream(generationId), command, context);
  }

  async state(generationId: string): Promise<GenerationState> {
    return (await this.handler.load(generationStream(generationId))).state;
  }
}
