import type { Position } from '../ports/event-store/position.js';

export interface CommandRecord<Event> {
  readonly events: readonly Event[];
  readonly position: Position | undefined;
}

/** The last few command ids a stream has seen, newest last, with what each appended. */
export class RecentCommands<Event> {
  constructor(
    private readonly entries: ReadonlyMap<string, CommandRecord<Event>>,
    private readonly limit: number,
  ) {}

  get(commandId: string): CommandRecord<Event> | undefined {
    return this.entries.get(commandId);
  }

  with(commandId: string, record: CommandRecord<Event>): RecentCommands<Event> {
    const next = new Map(this.entries);
    next.delete(commandId);
    next.set(commandId, record);
    while (next.size > this.limit) next.delete(next.keys().next().value as string);
    return new RecentCommands(next, this.limit);
  }
}

export interface CachedStream<State, Event> {
  readonly state: State;
  readonly revision: bigint;
  readonly commands: RecentCommands<Event>;
}

/**
 * Folded stream states, least recently used evicted. Safe under concurrency because it is only a
 * starting point: the handler reads any newer events and the append checks the revision anyway.
 */
export class StreamStateCache<State, Event> {
  private readonly streams = new Map<string, CachedStream<State, Event>>();

  constructor(
    private readonly capacity: number,
    private readonly commandsPerStream = 256,
  ) {}

  emptyCommands(): RecentCommands<Event> {
    return new RecentCommands(new Map(), this.commandsPerStream);
  }

  get(streamName: string): CachedStream<State, Event> | undefined {
    const entry = this.streams.get(streamName);
    if (entry) {
      this.streams.delete(streamName);
      this.streams.set(streamName, entry);
    }
    return entry;
  }

  store(streamName: string, entry: CachedStream<State, Event>): void {
    if (this.capacity <= 0) return;
    this.streams.delete(streamName);
    this.streams.set(streamName, entry);
    while (this.streams.size > this.capacity)
      this.streams.delete(this.streams.keys().next().value as string);
  }

  forget(streamName: string): void {
    this.streams.delete(streamName);
  }
}
