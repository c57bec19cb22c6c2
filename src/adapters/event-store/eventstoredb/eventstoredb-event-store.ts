import {
  ANY,
  BACKWARDS,
  END,
  ErrorType,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START as ESDB_START,
  STREAM_EXISTS,
  excludeSystemEvents,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { Observable, share } from 'rxjs';
import { eventStoreDbClient } from './eventstoredb-connection-string.js';
import { catchUpObservable } from '../../../event-store/catch-up-subscription.js';
import { DuplicateEventIdError, EventStoreUnavailableError, WrongExpectedVersionError } from '../../../event-store/errors.js';
import type {
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
} from '../../../event-store/event-store.js';
import { START, comparePositions, type Position } from '../../../event-store/position.js';
import type { ActualState, ExpectedState } from '../../../event-store/stream-state.js';

/**
 * The production store. EventStoreDB already has the semantics the port describes; this adapter
 * only translates names, hides system events (`$…`) and keeps positions exclusive on reads.
 * Idempotent retries succeed as on the server, but it does not say whether a write was a retry,
 * so `idempotent` is always false here.
 */
export class EventStoreDbEventStore implements EventStore {
  readonly kind = 'eventstoredb' as const;
  readonly appended: Observable<unknown>;

  constructor(private readonly client: EventStoreDBClient) {
    this.appended = new Observable<unknown>((subscriber) => {
      const subscription = client.subscribeToAll({ fromPosition: END, filter: excludeSystemEvents() });
      subscription.on('data', () => subscriber.next(undefined));
      subscription.on('error', () => subscriber.complete());
      return () => void subscription.unsubscribe();
    }).pipe(share());
  }

  static connect(connectionString: string): EventStoreDbEventStore {
    return new EventStoreDbEventStore(eventStoreDbClient(connectionString));
  }

  async appendToStream(streamName: string, events: readonly EventData[], options: AppendOptions = {}): Promise<AppendResult> {
    const expected = options.expectedState ?? 'any';
    try {
      if (events.length === 0) return await this.checkState(streamName, expected);
      const result = await this.client.appendToStream(
        streamName,
        events.map((event) => jsonEvent({ id: event.id, type: event.type, data: event.data, metadata: event.metadata ?? {} })),
        { expectedRevision: toEsdbRevision(expected) },
      );
      const position = result.position ? { commit: result.position.commit, prepare: result.position.prepare } : await this.headPosition();
      return { nextExpectedRevision: result.nextExpectedRevision, position, idempotent: false };
    } catch (error) {
      throw translateError(error, streamName, expected);
    }
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamName, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: options.fromRevision ?? (backwards ? END : ESDB_START),
        maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
      })) {
        const recorded = toRecordedEvent(resolved);
        if (recorded) events.push(recorded);
      }
    } catch (error) {
      if (isErrorType(error, ErrorType.STREAM_NOT_FOUND)) return [];
      throw new EventStoreUnavailableError(`read of "${streamName}" failed`, { cause: error });
    }
    return events;
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllBatch> {
    const after = options.after ?? START;
    const maxCount = Math.max(1, Math.floor(options.maxCount ?? 500));
    const scanned: RecordedEvent[] = [];
    let lastPosition = after;
    let rawCount = 0;
    // The server's read is inclusive of its start; ask for one more and drop the start itself.
    for await (const resolved of this.client.readAll({
      fromPosition: after.commit < 0n ? ESDB_START : { commit: after.commit, prepare: after.prepare },
      maxCount: maxCount + 1,
      direction: FORWARDS,
    })) {
      rawCount += 1;
      const position = positionOf(resolved);
      if (!position || comparePositions(position, after) <= 0) continue;
      if (scanned.length >= maxCount) break;
      lastPosition = position;
      const recorded = toRecordedEvent(resolved);
      if (recorded && !recorded.type.startsWith('$') && !recorded.streamName.startsWith('$')) scanned.push(recorded);
    }
    const wanted = scanned.filter(
      (event) =>
        (!options.eventTypes?.length || options.eventTypes.includes(event.type)) &&
        (!options.streamPrefixes?.length || options.streamPrefixes.some((prefix) => event.streamName.startsWith(prefix))),
    );
    return { events: wanted, lastPosition, isEnd: rawCount <= maxCount };
  }

  subscribeToAll(options: SubscribeOptions = {}): Observable<SubscriptionItem> {
    return catchUpObservable({ readAll: (readOptions) => this.readAll(readOptions), wakeUps: this.appended }, options);
  }

  async headPosition(): Promise<Position> {
    for await (const resolved of this.client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 200 })) {
      const recorded = toRecordedEvent(resolved);
      if (recorded && !recorded.streamName.startsWith('$') && !recorded.type.startsWith('$')) return recorded.position;
    }
    return START;
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  private async checkState(streamName: string, expected: ExpectedState): Promise<AppendResult> {
    const [last] = await this.readStream(streamName, { direction: 'backwards', maxCount: 1 });
    const actual: ActualState = last ? last.revision : 'no_stream';
    const ok =
      expected === 'any' ||
      (expected === 'no_stream' && actual === 'no_stream') ||
      (expected === 'stream_exists' && actual !== 'no_stream') ||
      expected === actual;
    if (!ok) throw new WrongExpectedVersionError(streamName, expected, actual);
    return { nextExpectedRevision: last ? last.revision : -1n, position: last?.position ?? (await this.headPosition()), idempotent: false };
  }
}

function toEsdbRevision(expected: ExpectedState): AppendExpectedRevision {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'stream_exists') return STREAM_EXISTS;
  return expected;
}

function translateError(error: unknown, streamName: string, expected: ExpectedState): Error {
  if (error instanceof WrongExpectedVersionError) return error;
  if (isErrorType(error, ErrorType.WRONG_EXPECTED_VERSION)) {
    const actualVersion = (error as { actualVersion?: unknown }).actualVersion;
    const actual: ActualState = typeof actualVersion === 'bigint' ? actualVersion : 'no_stream';
    return new WrongExpectedVersionError(streamName, expected, actual, { cause: error });
  }
  if (error instanceof Error && /duplicate/i.test(error.message)) return new DuplicateEventIdError(streamName, '', { cause: error });
  return new EventStoreUnavailableError(`append to "${streamName}" failed`, { cause: error });
}

function isErrorType(error: unknown, type: ErrorType): boolean {
  return typeof error === 'object' && error !== null && (error as { type?: unknown }).type === type;
}

function positionOf(resolved: AllStreamResolvedEvent | ResolvedEvent): Position | undefined {
  const position = resolved.event?.position;
  return position ? { commit: position.commit, prepare: position.prepare } : undefined;
}

function toRecordedEvent(resolved: AllStreamResolvedEvent | ResolvedEvent): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event || !event.isJson) return undefined;
  const position = positionOf(resolved) ?? { commit: -1n, prepare: -1n };
  return {
    id: event.id,
    streamName: event.streamId,
    revision: event.revision,
    type: event.type,
    data: event.data as JsonObject,
    metadata: (event.metadata ?? {}) as JsonObject,
    position,
    globalPosition: position.commit,
    createdAt: event.created,
  };
}
