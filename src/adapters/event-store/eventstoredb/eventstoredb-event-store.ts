import {
  ANY,
  BACKWARDS,
  END,
  ErrorType,
  FORWARDS,
  NO_STREAM,
  START as ESDB_START,
  STREAM_EXISTS,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AppendStreamState,
  type Filter,
  type KurrentDBClient,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import { Observable, Subject, retry, share, takeUntil, timer } from 'rxjs';
import type { Logger } from '../../../logging/logger.js';
import { backoffDelayMs } from '../../../resilience/backoff.js';
import { eventStoreDbClient } from './eventstoredb-connection-string.js';
import { catchUpObservable } from '../catch-up-subscription.js';
import {
  EventStoreUnavailableError,
  WrongExpectedVersionError,
} from '../../../ports/event-store/errors.js';
import type {
  AppendedHint,
  AppendOptions,
  AppendResult,
  EventData,
  EventStore,
  JsonObject,
  ReadAllBatch,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  SubscriptionItem,
} from '../../../ports/event-store/event-store.js';
import {
  START,
  comparePositions,
  maxPosition,
  type Position,
} from '../../../ports/event-store/position.js';
import type { ActualState, ExpectedState } from '../../../ports/event-store/stream-state.js';

export interface EventStoreDbOptions {
  /** How often a subscriber looks for new events without a wake-up (default 1000 ms). */
  readonly pollIntervalMs?: number;
  /**
   * The longest wait between two attempts to re-open the live wake-up subscription (default 5000
   * ms).
   */
  readonly maxReconnectDelayMs?: number;
  readonly logger?: Logger;
}

type AnyResolvedEvent = AllStreamResolvedEvent | ResolvedEvent;

/**
 * EventStoreDB / KurrentDB through `@kurrent/kurrentdb-client`. The server keeps stream revisions,
 * expected states and the `$all` order itself; this adapter translates names, hides system events
 * (`$…` types and streams), filters `$all` on the server, keeps read positions exclusive, and
 * turns client failures into the port's errors. Where the server's guarantees differ from the
 * port's (ids unique only within a stream, no "was this a retry" flag) the port's documentation
 * says so per store. Needs a server of 22.6 or later for cheap positions on stream reads; older
 * servers are served correctly by looking the positions up in `$all`.
 */
export class EventStoreDbEventStore implements EventStore {
  readonly kind = 'eventstoredb' as const;
  readonly appended: Observable<AppendedHint>;
  private readonly closed = new Subject<void>();

  constructor(
    private readonly client: KurrentDBClient,
    private readonly options: EventStoreDbOptions = {},
  ) {
    this.appended = this.liveWakeUps();
  }

  static connect(
    connectionString: string,
    options: EventStoreDbOptions = {},
  ): EventStoreDbEventStore {
    return new EventStoreDbEventStore(eventStoreDbClient(connectionString), options);
  }

  async appendToStream(
    streamName: string,
    events: readonly EventData[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    const expected = options.expectedState ?? 'any';
    try {
      const result = await this.client.appendToStream(
        streamName,
        events.map((event) =>
          jsonEvent({
            id: event.id,
            type: event.type,
            data: event.data,
            metadata: event.metadata ?? {},
          }),
        ),
        { streamState: toStreamState(expected) },
      );
      // An empty append is the server's own atomic state check; it reports neither a position nor,
      // on the batch path, whether the stream exists, so the stream's last event says both.
      if (events.length === 0) return await this.lastOf(streamName);
      const position = result.position
        ? { commit: result.position.commit, prepare: result.position.prepare }
        : await this.positionOfRevision(streamName, result.nextExpectedRevision);
      return { nextExpectedRevision: result.nextExpectedRevision, position, idempotent: false };
    } catch (error) {
      throw translateAppendError(error, streamName, expected);
    }
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const resolved = await this.readStreamRaw(streamName, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: options.fromRevision ?? (backwards ? END : ESDB_START),
      maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
    });
    const positions = await this.positionsOf(streamName, resolved);
    return resolved.flatMap((event) => toRecordedEvent(event, positions) ?? []);
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllBatch> {
    const after = options.after ?? START;
    const maxCount = Math.max(1, Math.floor(options.maxCount ?? 500));
    // Read before the batch: when the batch reaches the end, everything up to this head was
    // scanned,
    // so the position may move past it even if the filter kept none of it.
    const head = await this.headPosition();
    const wanted: RecordedEvent[] = [];
    let returned = 0;
    let taken = 0;
    let more = false;
    let lastPosition = after;
    try {
      // The server's read includes its start; ask for one more and drop the start itself.
      for await (const resolved of this.client.readAll({
        fromPosition:
          after.commit < 0n ? ESDB_START : { commit: after.commit, prepare: after.prepare },
        maxCount: maxCount + 1,
        direction: FORWARDS,
        filter: serverFilter(options),
      })) {
        returned += 1;
        const position = positionOf(resolved);
        if (!position || comparePositions(position, after) <= 0) continue;
        if (taken >= maxCount) {
          more = true;
          break;
        }
        taken += 1;
        lastPosition = position;
        const recorded = toRecordedEvent(resolved);
        if (recorded && isWanted(recorded, options)) wanted.push(recorded);
      }
    } catch (error) {
      throw new EventStoreUnavailableError('read of $all failed', { cause: error });
    }
    // Fewer than asked for: the read reached the end of the log, which is at or past `head`.
    const isEnd = !more && returned <= maxCount;
    return {
      events: wanted,
      lastPosition: isEnd ? maxPosition(lastPosition, head) : lastPosition,
      isEnd,
    };
  }

  subscribeToAll(options: SubscribeOptions = {}): Observable<SubscriptionItem> {
    return catchUpObservable(
      {
        readAll: (readOptions) => this.readAll(readOptions),
        wakeUps: this.appended,
      },
      {
        ...options,
        ...(this.options.pollIntervalMs ? { pollIntervalMs: this.options.pollIntervalMs } : {}),
      },
    );
  }

  /**
   * The last event of `$all`, of whatever kind, read backwards one: the same events `lastPosition`
   * counts.
   */
  async headPosition(): Promise<Position> {
    try {
      for await (const resolved of this.client.readAll({
        fromPosition: END,
        direction: BACKWARDS,
        maxCount: 1,
      })) {
        const position = positionOf(resolved);
        if (position) return position;
      }
      return START;
    } catch (error) {
      throw new EventStoreUnavailableError('read of the head of $all failed', { cause: error });
    }
  }

  async close(): Promise<void> {
    this.closed.next();
    this.closed.complete();
    await this.client.dispose();
  }

  /**
   * Wake-ups from a live subscription to `$all` (system events filtered out on the server). When it
   * fails or the server ends it, it is opened again after a growing delay, and every (re)opening
   * wakes the readers once, so what was appended while it was down is read at once, not only at
   * the next poll.
   */
  private liveWakeUps(): Observable<AppendedHint> {
    const maxDelay = this.options.maxReconnectDelayMs ?? 5000;
    return new Observable<AppendedHint>((subscriber) => {
      const subscription = this.client.subscribeToAll({
        fromPosition: END,
        filter: excludeSystemEvents(),
      });
      let ended = false;
      const end = (error: unknown) => {
        if (ended) return;
        ended = true;
        subscriber.error(error);
      };
      // Confirmed (again): appends may have been missed meanwhile, of any type.
      subscription.on('confirmation', () => subscriber.next({}));
      subscription.on('data', (resolved) => {
        const type = resolved.event?.type;
        subscriber.next(type === undefined ? {} : { eventTypes: [type] });
      });
      subscription.on('error', end);
      subscription.on('end', () => end(new Error('the server ended the live subscription')));
      return () => {
        ended = true;
        void subscription.unsubscribe().catch(() => undefined);
      };
    }).pipe(
      retry({
        resetOnSuccess: true,
        delay: (error: unknown, attempt) => {
          const delay = backoffDelayMs(attempt, { baseMs: 100, maxMs: maxDelay, jitter: 'none' });
          this.options.logger?.warn(
            { err: error, attempt, delayMs: delay },
            'event store live subscription dropped; reconnecting',
          );
          return timer(delay);
        },
      }),
      takeUntil(this.closed),
      share(),
    );
  }

  private async readStreamRaw(
    streamName: string,
    options: {
      direction: typeof FORWARDS | typeof BACKWARDS;
      fromRevision: bigint | typeof END | typeof ESDB_START;
      maxCount: number;
    },
  ): Promise<AnyResolvedEvent[]> {
    const events: AnyResolvedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamName, options))
        events.push(resolved);
    } catch (error) {
      if (isErrorType(error, ErrorType.STREAM_NOT_FOUND)) return [];
      throw new EventStoreUnavailableError(`read of "${streamName}" failed`, { cause: error });
    }
    return events;
  }

  /**
   * The stream's last event as an append result; a missing stream is revision -1 at the head of
   * `$all`.
   */
  private async lastOf(streamName: string): Promise<AppendResult> {
    const [last] = await this.readStreamRaw(streamName, {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: 1,
    });
    if (!last?.event)
      return { nextExpectedRevision: -1n, position: await this.headPosition(), idempotent: false };
    const positions = await this.positionsOf(streamName, [last]);
    return {
      nextExpectedRevision: last.event.revision,
      position: positions.get(last.event.id) ?? positionOf(last) ?? (await this.headPosition()),
      idempotent: false,
    };
  }

  /**
   * Where an event already in the stream sits in `$all`: a server reports no position for an
   * idempotent retry unless it has the event's log position at hand.
   */
  private async positionOfRevision(streamName: string, revision: bigint): Promise<Position> {
    const [event] = await this.readStreamRaw(streamName, {
      direction: FORWARDS,
      fromRevision: revision,
      maxCount: 1,
    });
    if (!event?.event) return this.headPosition();
    const positions = await this.positionsOf(streamName, [event]);
    return positions.get(event.event.id) ?? (await this.headPosition());
  }

  /**
   * Servers before 22.6 give events read from a stream no log position (zero, or none); only `$all`
   * reads carry it. Then the positions are looked up in `$all`, newest first, filtered on the
   * server
   * to this one stream. Nothing is read when every event came with its position.
   */
  private async positionsOf(
    streamName: string,
    events: readonly AnyResolvedEvent[],
  ): Promise<Map<string, Position>> {
    const positions = new Map<string, Position>();
    const missing = new Set<string>();
    for (const resolved of events) {
      if (!resolved.event) continue;
      const position = positionOf(resolved);
      if (position) positions.set(resolved.event.id, position);
      else missing.add(resolved.event.id);
    }
    if (missing.size === 0) return positions;
    try {
      for await (const resolved of this.client.readAll({
        fromPosition: END,
        direction: BACKWARDS,
        maxCount: Number.MAX_SAFE_INTEGER,
        filter: streamNameFilter({ regex: `^${escapeRegex(streamName)}$` }),
      })) {
        const position = positionOf(resolved);
        const id = resolved.event?.id;
        if (!id || !position || !missing.delete(id)) continue;
        positions.set(id, position);
        if (missing.size === 0) break;
      }
    } catch (error) {
      throw new EventStoreUnavailableError(`lookup of the positions of "${streamName}" failed`, {
        cause: error,
      });
    }
    return positions;
  }
}

/**
 * The server takes one filter expression per read. Stream prefixes are the narrower cut, so they go
 * to the server when given; else the wanted event types, as an anchored regex; else only the system
 * events are left out (the client's `excludeSystemEvents`: types not starting with `$`). What one
 * expression cannot say is checked again here (`isWanted`).
 */
function serverFilter(options: ReadAllOptions): Filter {
  if (options.streamPrefixes?.length)
    return streamNameFilter({ prefixes: [...options.streamPrefixes] });
  if (options.eventTypes?.length)
    return eventTypeFilter({ regex: `^(?:${options.eventTypes.map(escapeRegex).join('|')})$` });
  return excludeSystemEvents();
}

function isWanted(event: RecordedEvent, options: ReadAllOptions): boolean {
  if (event.type.startsWith('$') || event.streamName.startsWith('$')) return false;
  if (options.eventTypes?.length && !options.eventTypes.includes(event.type)) return false;
  if (
    options.streamPrefixes?.length &&
    !options.streamPrefixes.some((prefix) => event.streamName.startsWith(prefix))
  )
    return false;
  return true;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function toStreamState(expected: ExpectedState): AppendStreamState {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'stream_exists') return STREAM_EXISTS;
  return expected;
}

function translateAppendError(error: unknown, streamName: string, expected: ExpectedState): Error {
  if (error instanceof WrongExpectedVersionError || error instanceof EventStoreUnavailableError)
    return error;
  if (isErrorType(error, ErrorType.WRONG_EXPECTED_VERSION)) {
    const actualState = (error as { actualState?: unknown }).actualState;
    const actual: ActualState =
      typeof actualState === 'bigint' && actualState >= 0n ? actualState : 'no_stream';
    return new WrongExpectedVersionError(streamName, expected, actual, { cause: error });
  }
  return new EventStoreUnavailableError(`append to "${streamName}" failed`, { cause: error });
}

function isErrorType(error: unknown, type: ErrorType): boolean {
  return typeof error === 'object' && error !== null && (error as { type?: unknown }).type === type;
}

/**
 * Before 22.6 a stream read gives no usable position: zero (no event sits at 0, the log's first
 * record is the epoch), nothing, or the unsigned form of the server's -1 "no position" (2^64 - 1:
 * real positions are signed 64-bit offsets, so anything from 2^63 up is not one).
 */
function positionOf(resolved: AnyResolvedEvent): Position | undefined {
  const position = resolved.event?.position;
  if (!position || (position.commit === 0n && position.prepare === 0n)) return undefined;
  if (position.commit >= 1n << 63n || position.prepare >= 1n << 63n) return undefined;
  return { commit: position.commit, prepare: position.prepare };
}

function toRecordedEvent(
  resolved: AnyResolvedEvent,
  positions?: ReadonlyMap<string, Position>,
): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event || !event.isJson) return undefined;
  const position = positions?.get(event.id) ?? positionOf(resolved);
  if (!position) return undefined;
  return {
    id: event.id,
    streamName: event.streamId,
    revision: event.revision,
    type: event.type,
    data: event.data as JsonObject,
    metadata: (event.metadata ?? {}) as JsonObject,
    position,
    // The event's own log offset: unique per event, where the commit position may be shared by
    // the events of one write on servers that still write commit records.
    globalPosition: position.prepare,
    createdAt: event.created,
  };
}
