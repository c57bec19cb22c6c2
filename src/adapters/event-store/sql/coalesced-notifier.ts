/**
 * NOTIFY inside the appending transaction takes a database-wide lock at commit and would
 * serialise every writer. Instead the store notifies after commit, from the side, at most one
 * NOTIFY in flight and at most one per `minIntervalMs`: the first append after a quiet spell
 * wakes subscribers at once, a burst costs one notification per interval instead of nearly one
 * per append (each is a query and a commit), and subscribers poll anyway. 50 ms is below what
 * another instance's consumers wait to gather a batch plus their read, and keeps a wizard burst
 * at a few notifications a second instead of one per handful of clicks.
 */
export class CoalescedNotifier {
  private inFlight: Promise<void> | undefined;
  /** The event types signalled since the last send began; undefined when nothing is pending. */
  private pending: Set<string> | undefined;
  private lastSentAt = Number.NEGATIVE_INFINITY;

  constructor(
    /** Sends one notification naming every type appended since the previous one. */
    private readonly send: (eventTypes: readonly string[]) => Promise<unknown>,
    private readonly minIntervalMs = 50,
  ) {}

  signal(eventTypes: readonly string[] = []): void {
    this.pending ??= new Set();
    for (const type of eventTypes) this.pending.add(type);
    if (!this.inFlight) this.inFlight = this.drain();
  }

  async flush(): Promise<void> {
    await this.inFlight;
  }

  private async drain(): Promise<void> {
    while (this.pending) {
      const wait = this.lastSentAt + this.minIntervalMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      // Taken before sending: a signal from here on is for events this send may not cover.
      const eventTypes = [...(this.pending ?? [])];
      this.pending = undefined;
      this.lastSentAt = Date.now();
      try {
        await this.send(eventTypes);
      } catch {
        // Best effort: subscribers fall back to polling.
      }
    }
    this.inFlight = undefined;
  }
}
