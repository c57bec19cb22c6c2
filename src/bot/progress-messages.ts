/** Where a generation's progress message is; bounded, most recent kept. */
export interface ProgressMessageRef {
  readonly chatId: number;
  readonly messageId: number;
}

/**
 * Shared by the bot (which sends the "queued" message) and the notifier (which edits it). Only a
 * cache of Telegram message ids, never business state: losing it costs one extra message.
 */
export class ProgressMessages {
  private readonly refs = new Map<string, ProgressMessageRef>();

  constructor(private readonly capacity = 10_000) {}

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

  delete(generationId: string): void {
    this.refs.delete(generationId);
  }
}
