import { AppError } from '../errors/app-error.js';
import type { Decider, DomainEvent, DomainRejection } from '../domain/decider.js';
import {
  currentSchemaVersion,
  isEventType,
  parseEventData,
  validateEvent,
} from '../domain/events/catalog.js';
import { DuplicateEventIdError, isWrongExpectedVersion } from '../ports/event-store/errors.js';
import type {
  EventData,
  EventStore,
  JsonObject,
  RecordedEvent,
} from '../ports/event-store/event-store.js';
import type { Position } from '../ports/event-store/position.js';
import { backoffDelayMs } from '../resilience/backoff.js';
import type { CommandContext } from './command-context.js';
import type { CommandObserver, CommandResultKind } from './command-observer.js';
import { eventIdFor } from './event-ids.js';
import { StreamStateCache } from './stream-state-cache.js';

export type CommandOutcome<State, Event, Rejection> =
  | {
      readonly ok: true;
      readonly state: State;
      /** What the command appended, or what its first run appended when it is a repeat. */
      readonly events: readonly Event[];
      /** Position of the last event written; pass it to projections to read your own writes. */
      readonly position: Position | undefined;
      readonly revision: bigint;
      /** True when this command id had already been handled: nothing new was appended. */
      readonly duplicate: boolean;
    }
  | {
      readonly ok: false;
      readonly state: State;
      readonly rejection: Rejection;
      readonly revision: bigint;
    };

export class CommandConflictError extends AppError {
  override readonly name = 'CommandConflictError';
  readonly code = 'COMMAND_CONFLICT';
  // The writes it lost to are over by now; the same command later loads their result and decides.
  readonly retryable = true;
  constructor(
    readonly streamName: string,
    readonly attempts: number,
    options?: ErrorOptions,
  ) {
    super(`Gave up on "${streamName}" after ${attempts} concurrent-write conflicts`, options);
  }
}

/**
 * The stream moved on from the revision the caller decided to issue the command at (see
 * `HandleOptions.basedOn`). Nothing was appended; the caller looks again and starts over.
 */
export class StaleStateError extends AppError {
  override readonly name = 'StaleStateError';
  readonly code = 'STALE_STATE';
  readonly retryable = true;
  constructor(
    readonly streamName: string,
    readonly basedOn: bigint,
    readonly actual: bigint,
  ) {
    super(
      `"${streamName}" is at revision ${actual}, not at ${basedOn} where the command was chosen`,
    );
  }
}

export interface HandleOptions {
  /**
   * The revision of the state the caller looked at when it chose this command. When the stream is
   * elsewhere, the handler neither reloads and decides again nor appends: it throws
   * StaleStateError, because the choice itself was made on a state that no longer holds.
   */
  readonly basedOn?: bigint;
}

export interface CommandHandlerOptions {
  readonly store: EventStore;
  readonly now?: () => Date;
  readonly maxAttempts?: number;
  /** Streams whose folded state is kept between commands; 0 disables the cache. */
  readonly cacheSize?: number;
  /** Metrics hooks: command latency and outcome, events appended. */
  readonly observer?: CommandObserver;
}

/**
 * load → decide → append with the expected revision; on a conflict, reload and decide again.
 * Idempotent by command id twice over: a repeat found in the stream returns the first outcome,
 * and event ids derived from the command id make a concurrent repeat an idempotent append.
 */
export class CommandHandler<
  Command,
  Event extends DomainEvent,
  State,
  Rejection extends DomainRejection,
> {
  private readonly now: () => Date;
  private readonly maxAttempts: number;
  private readonly cache: StreamStateCache<State, Event>;

  constructor(
    private readonly decider: Decider<Command, Event, State, Rejection>,
    private readonly options: CommandHandlerOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.maxAttempts = options.maxAttempts ?? 20;
    this.cache = new StreamStateCache(options.cacheSize ?? 1000);
  }

  /** The current state of a stream, without deciding anything. */
  async load(streamName: string): Promise<{ state: State; revision: bigint }> {
    const loaded = await this.loadStream(streamName);
    return { state: loaded.state, revision: loaded.revision };
  }

  /**
   * The state this handler last saw of a stream, without reading it: possibly behind the store
   * when another process wrote since. A starting point to verify (`load`, or a command `basedOn`
   * its revision), never a proof.
   */
  cached(streamName: string): { state: State; revision: bigint } | undefined {
    const cached = this.cache.get(streamName);
    return cached ? { state: cached.state, revision: cached.revision } : undefined;
  }

  async handle(
    streamName: string,
    command: Command,
    context: CommandContext,
    options: HandleOptions = {},
  ): Promise<CommandOutcome<State, Event, Rejection>> {
    const observer = this.options.observer;
    if (!observer) return this.decideAndAppend(streamName, command, context, options.basedOn);
    const started = performance.now();
    let result: CommandResultKind = 'error';
    try {
      const outcome = await this.decideAndAppend(streamName, command, context, options.basedOn);
      result = !outcome.ok ? 'rejected' : outcome.duplicate ? 'duplicate' : 'ok';
      if (outcome.ok && !outcome.duplicate && outcome.events.length > 0)
        observer.eventsAppended(outcome.events);
      return outcome;
    } finally {
      const name =
        typeof (command as { type?: unknown }).type === 'string'
          ? (command as { type: string }).type
          : 'unknown';
      observer.commandHandled({ command: name, durationMs: performance.now() - started, result });
    }
  }

  private async decideAndAppend(
    streamName: string,
    command: Command,
    context: CommandContext,
    basedOn: bigint | undefined,
  ): Promise<CommandOutcome<State, Event, Rejection>> {
    // The first try decides on the cached state without reading the stream: the append's expected
    // revision proves it current (a stale cache fails the compare-and-set and is reloaded). Only an
    // acceptance is proven that way, so a rejection or a no-op is confirmed against the stream.
    let optimistic = this.cache.get(streamName);
    for (let attempt = 1; ; attempt += optimistic ? 0 : 1) {
      const cached = optimistic;
      optimistic = undefined;
      const loaded = cached ?? (await this.loadStream(streamName));
      if (basedOn !== undefined && loaded.revision !== basedOn) {
        // A repeat of a command the stream already holds is answered as usual, wherever it stands.
        if (!loaded.commands.get(context.commandId))
          throw new StaleStateError(streamName, basedOn, loaded.revision);
      }
      const previous = loaded.commands.get(context.commandId);
      if (previous) {
        return {
          ok: true,
          state: loaded.state,
          events: previous.events,
          position: previous.position,
          revision: loaded.revision,
          duplicate: true,
        };
      }
      const decision = this.decider.decide(command, loaded.state);
      if (cached && (!decision.ok || decision.events.length === 0)) continue;
      if (!decision.ok)
        return {
          ok: false,
          state: loaded.state,
          rejection: decision.rejection,
          revision: loaded.revision,
        };
      if (decision.events.length === 0) {
        return {
          ok: true,
          state: loaded.state,
          events: [],
          position: undefined,
          revision: loaded.revision,
          duplicate: false,
        };
      }
      const events = decision.events.map((event) => validateEvent(event) as unknown as Event);
      try {
        const result = await this.options.store.appendToStream(
          streamName,
          this.toEventData(events, context),
          {
            expectedState: loaded.revision < 0n ? 'no_stream' : loaded.revision,
          },
        );
        if (result.idempotent) {
          // Another process handled this very command a moment ago; report its outcome.
          this.cache.forget(streamName);
          continue;
        }
        const state = events.reduce(this.decider.evolve, loaded.state);
        this.cache.store(streamName, {
          state,
          revision: result.nextExpectedRevision,
          commands: loaded.commands.with(context.commandId, { events, position: result.position }),
        });
        return {
          ok: true,
          state,
          events,
          position: result.position,
          revision: result.nextExpectedRevision,
          duplicate: false,
        };
      } catch (error) {
        this.cache.forget(streamName);
        if (error instanceof DuplicateEventIdError) {
          // The command's ids are stored further back than the remembered commands reach: an old
          // repeat. Nothing is appended; its original events are not at hand.
          return {
            ok: true,
            state: loaded.state,
            events: [],
            position: undefined,
            revision: loaded.revision,
            duplicate: true,
          };
        }
        // A stale cache is not contention: reload at once, without spending an attempt.
        if (isWrongExpectedVersion(error) && cached) continue;
        if (isWrongExpectedVersion(error) && attempt < this.maxAttempts) {
          await backoff(attempt);
          continue;
        }
        if (isWrongExpectedVersion(error))
          throw new CommandConflictError(streamName, attempt, { cause: error });
        throw error;
      }
    }
  }

  private toEventData(events: readonly Event[], context: CommandContext): EventData[] {
    const timestamp = this.now().toISOString();
    return events.map((event, index) => ({
      id: eventIdFor(context.commandId, index),
      type: event.type,
      data: event.data as JsonObject,
      metadata: {
        commandId: context.commandId,
        causationId: context.causationId ?? context.commandId,
        correlationId: context.correlationId ?? context.commandId,
        actor: { kind: context.actor.kind, id: context.actor.id },
        timestamp,
        schemaVersion: isEventType(event.type) ? currentSchemaVersion(event.type) : 1,
      },
    }));
  }

  private async loadStream(streamName: string) {
    const cached = this.cache.get(streamName);
    const recorded = await this.options.store.readStream(
      streamName,
      cached ? { fromRevision: cached.revision + 1n } : {},
    );
    let state = cached?.state ?? this.decider.initialState;
    let revision = cached?.revision ?? -1n;
    let commands = cached?.commands ?? this.cache.emptyCommands();
    for (const record of recorded) {
      const event = toDomainEvent<Event>(record);
      state = this.decider.evolve(state, event);
      revision = record.revision;
      const commandId =
        typeof record.metadata.commandId === 'string' ? record.metadata.commandId : undefined;
      if (commandId) {
        const earlier = commands.get(commandId);
        commands = commands.with(commandId, {
          events: [...(earlier?.events ?? []), event],
          position: record.position,
        });
      }
    }
    const loaded = { state, revision, commands };
    if (recorded.length > 0 || !cached) this.cache.store(streamName, loaded);
    return loaded;
  }
}

export function toDomainEvent<Event extends DomainEvent>(record: RecordedEvent): Event {
  const version =
    typeof record.metadata.schemaVersion === 'number' ? record.metadata.schemaVersion : 1;
  return parseEventData(record.type, record.data, version) as unknown as Event;
}

function backoff(attempt: number): Promise<void> {
  const ms = backoffDelayMs(attempt, { baseMs: 2, maxMs: 50, jitter: 'full' });
  return new Promise((resolve) => setTimeout(resolve, ms));
}
