import type { GenerationCommands } from '../commands/generation-commands.js';

/** Where a generation's progress message is. */
export interface ProgressMessageRef {
  readonly chatId: number;
  readonly messageId: number;
}

/**
 * Where the notifier finds and records progress messages. The truth is the generation's events
 * (the confirmation message named in the request, or one the pipeline posted and recorded), so
 * every instance edits the same message and a restart posts none.
 */
export interface ProgressMessageLog {
  /** The recorded message, if any. `fresh` skips any cache: another instance may have posted since. */
  find(generationId: string, options?: { readonly fresh?: boolean }): Promise<ProgressMessageRef | undefined>;
  /** Records a message just posted, so no instance posts another. */
  record(generationId: string, ref: ProgressMessageRef): Promise<void>;
}

/** A bounded map, most recent kept: the cache in front of the events. */
class RecentRefs {
  private readonly refs = new Map<string, ProgressMessageRef>();

  constructor(private readonly capacity: number) {}

  get(generationId: string): ProgressMessageRef | undefined {
    return this.refs.get(generationId);
  }

  set(generationId: string, ref: ProgressMessageRef): void {
    this.refs.delete(generationId);
    this.refs.set(generationId, ref);
    while (this.refs.size > this.capacity) {
      const oldest = this.refs.keys().next().value;
      if (oldest === undefined) break;
      this.refs.delete(oldest);
    }
  }
}

/** Reads and records progress messages in the generation's own stream, with a cache of what it read. */
export class EventSourcedProgressMessages implements ProgressMessageLog {
  private readonly cache: RecentRefs;

  constructor(
    private readonly generations: GenerationCommands,
    capacity = 10_000,
  ) {
    this.cache = new RecentRefs(capacity);
  }

  async find(generationId: string, options: { readonly fresh?: boolean } = {}): Promise<ProgressMessageRef | undefined> {
    if (!options.fresh) {
      const cached = this.cache.get(generationId);
      if (cached) return cached;
    }
    const ref = (await this.generations.state(generationId)).progressMessage ?? undefined;
    if (ref) this.cache.set(generationId, ref);
    return ref;
  }

  async record(generationId: string, ref: ProgressMessageRef): Promise<void> {
    this.cache.set(generationId, ref);
    const outcome = await this.generations.execute(
      generationId,
      { type: 'RecordProgressMessage', chatId: ref.chatId, messageId: ref.messageId },
      {
        commandId: `progress-message:${generationId}:${ref.chatId}:${ref.messageId}`,
        actor: { kind: 'system', id: 'telegram-notifier' },
        correlationId: generationId,
      },
    );
    if (!outcome.ok) throw new Error(`recording the progress message of ${generationId} was rejected: ${outcome.rejection.code}`);
  }
}

/** For tests and a bot without an event store: the same contract, kept in memory only. */
export class InMemoryProgressMessages implements ProgressMessageLog {
  private readonly refs = new RecentRefs(10_000);

  async find(generationId: string): Promise<ProgressMessageRef | undefined> {
    return this.refs.get(generationId);
  }

  async record(generationId: string, ref: ProgressMessageRef): Promise<void> {
    this.refs.set(generationId, ref);
  }

  /** What a test reads back synchronously. */
  get(generationId: string): ProgressMessageRef | undefined {
    return this.refs.get(generationId);
  }
}
