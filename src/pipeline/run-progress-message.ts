import type { GenerationCommands } from '../commands/generation-commands.js';
import type { GenerationState } from '../domain/generation/state.js';
import type { ProgressMessage, ProgressMessageRef } from '../ports/user-notifier.js';
import { pipelineActor, stageCommandId } from './command-ids.js';
import { CommandRejectedError } from './pipeline-errors.js';

/**
 * The progress message of one run, from the generation's events: the state the run loaded names
 * it (the confirmation from the request, or a message an earlier run posted), and a message the
 * notifier posts is recorded as `ProgressMessagePosted` before the next edit looks for it. A run
 * that starts elsewhere or after a restart loads the same state, so it edits the same message.
 * Only the run that holds the job's lease posts, so what this run recorded last is the latest.
 */
export class RunProgressMessage implements ProgressMessage {
  private ref: ProgressMessageRef | null;

  constructor(
    private readonly generations: GenerationCommands,
    private readonly generationId: string,
    loaded: GenerationState,
  ) {
    this.ref = loaded.progressMessage;
  }

  current(): ProgressMessageRef | null {
    return this.ref;
  }

  async record(ref: ProgressMessageRef): Promise<void> {
    // Taken at once: even when the record fails, this run's next edit goes to the message just
    // posted.
    this.ref = { chatId: ref.chatId, messageId: ref.messageId };
    const outcome = await this.generations.execute(
      this.generationId,
      { type: 'RecordProgressMessage', chatId: ref.chatId, messageId: ref.messageId },
      {
        commandId: stageCommandId(
          this.generationId,
          'RecordProgressMessage',
          `${ref.chatId}:${ref.messageId}`,
        ),
        actor: pipelineActor,
        correlationId: this.generationId,
      },
    );
    if (!outcome.ok) throw new CommandRejectedError('RecordProgressMessage', outcome.rejection);
  }
}
