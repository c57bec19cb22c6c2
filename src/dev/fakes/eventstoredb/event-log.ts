import { EventEmitter } from 'node:events';

/**
 * The in-memory transaction log behind the EventStoreDB fake, with the server's append rules.
 * Nothing here speaks gRPC: the service maps requests onto it and its results back onto the wire.
 */

/** How the writer constrains the stream, as on the wire: a revision, or one of the three words. */
export type ExpectedRevision = bigint | 'any' | 'no_stream' | 'stream_exists';

export interface ProposedEvent {
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
}

export interface LogRecord extends ProposedEvent {
  readonly streamName: string;
  readonly revision: bigint;
  /**
   * The record's byte offset in the log. Since 20.x a write commits inside its prepare records
   * (no separate commit record), and the server reports such an event at `(LogPosition,
   * LogPosition)`: commit equals prepare (KurrentDB `AllReader.cs`, `new TFPos(prepare.LogPosition,
   * prepare.LogPosition)`). Offsets grow by the record's size, so they are neither dense nor
   * 0-based.
   */
  readonly position: bigint;
  /** Unix epoch in .NET ticks (100 ns), as the server's `created` metadata entry. */
  readonly created: bigint;
}

export type AppendOutcome =
  | {
      readonly kind: 'written';
      readonly currentRevision: bigint;
      readonly position: bigint | undefined;
    }
  /**
   * Every id was already written by an identical earlier append: nothing written, the original
   * answered.
   */
  | { readonly kind: 'idempotent'; readonly currentRevision: bigint; readonly position: bigint }
  /** `current` is -1n for a stream that does not exist. */
  | { readonly kind: 'wrong-expected-version'; readonly current: bigint };

/**
 * A record's size on disk is about a fixed header plus its strings and payloads; 100 bytes stands
 * in for the header.
 */
function recordSize(streamName: string, event: ProposedEvent): bigint {
  return BigInt(
    100 +
      Buffer.byteLength(streamName) +
      Buffer.byteLength(event.type) +
      event.data.byteLength +
      event.customMetadata.byteLength,
  );
}

const TICKS_PER_MS = 10_000n;

export class EventLog {
  private readonly records: LogRecord[] = [];
  private readonly streams = new Map<string, LogRecord[]>();
  /**
   * The next free byte offset; the real log starts with an epoch record, so no event is ever at 0.
   */
  private nextPosition = 128n;
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  /** Every record, oldest first. */
  get all(): readonly LogRecord[] {
    return this.records;
  }

  lastRevision(streamName: string): bigint {
    const stream = this.streams.get(streamName);
    return stream ? BigInt(stream.length - 1) : -1n;
  }

  stream(streamName: string): readonly LogRecord[] | undefined {
    return this.streams.get(streamName);
  }

  /** Calls `listener` with each record as it is written; returns the unsubscribe. */
  onWrite(listener: (record: LogRecord) => void): () => void {
    this.emitter.on('record', listener);
    return () => this.emitter.off('record', listener);
  }

  /**
   * The server's commit check, `IndexWriter.CheckCommit` in KurrentDB
   * (src/KurrentDB.Core/Services/Storage/ReaderIndex/IndexWriter.cs), rule by rule:
   * - a stream that does not exist takes `any` and `no_stream` with any ids ("fast path for
   *   completely new streams"): ids are NOT checked against other streams;
   * - `any` / `stream_exists` ("weak idempotency"): look the ids up among this stream's events; the
   *   first id not written yet → the whole batch is written; the first written and a later one not
   *   → CorruptedIdempotency, which the gRPC layer answers as wrong expected version; all written →
   *   idempotent success at the last one's position (the server keeps only recent ids in an LRU
   *   cache; this log remembers all of them, the behaviour for a recent retry);
   * - an exact revision or `no_stream` behind the stream's end ("strong idempotency"): the ids must
   *   sit exactly at expected+1, expected+2, …; a first mismatch → wrong expected version, a later
   *   one → CorruptedIdempotency (wrong expected version), all matching → idempotent;
   * - expected beyond the end → wrong expected version; exactly at the end → written.
   * An empty batch only checks the state ("when writing no events we always return Ok or
   * ConsistencyCheckFailure").
   */
  append(
    streamName: string,
    expected: ExpectedRevision,
    events: readonly ProposedEvent[],
  ): AppendOutcome {
    const stream = this.streams.get(streamName);
    const current = stream ? BigInt(stream.length - 1) : -1n;
    const wrong: AppendOutcome = { kind: 'wrong-expected-version', current };

    if (!stream) {
      if (expected === 'any' || expected === 'no_stream')
        return this.write(streamName, events, current);
      return wrong;
    }
    if (expected === 'stream_exists' || expected === 'any') {
      if (events.length === 0) return this.write(streamName, events, current);
      const byId = new Map(stream.map((record) => [record.id, record]));
      const found = events.map((event) => byId.get(event.id));
      if (found[0] === undefined) return this.write(streamName, events, current);
      if (found.some((record) => record === undefined)) return wrong;
      const last = found.at(-1)!;
      return { kind: 'idempotent', currentRevision: last.revision, position: last.position };
    }
    const expectedRevision = expected === 'no_stream' ? -1n : expected;
    if (expectedRevision < current) {
      if (events.length === 0) return wrong;
      for (const [index, event] of events.entries()) {
        const atPlace = stream[Number(expectedRevision) + 1 + index];
        if (atPlace?.id !== event.id) return wrong;
      }
      const last = stream[Number(expectedRevision) + events.length]!;
      return { kind: 'idempotent', currentRevision: last.revision, position: last.position };
    }
    if (expectedRevision > current) return wrong;
    return this.write(streamName, events, current);
  }

  private write(
    streamName: string,
    events: readonly ProposedEvent[],
    current: bigint,
  ): AppendOutcome {
    // An empty write commits nothing, so the server has no log position to report ("no_position").
    if (events.length === 0)
      return { kind: 'written', currentRevision: current, position: undefined };
    const stream = this.streams.get(streamName) ?? [];
    this.streams.set(streamName, stream);
    const created = BigInt(Date.now()) * TICKS_PER_MS;
    const written: LogRecord[] = [];
    for (const event of events) {
      const record: LogRecord = {
        ...event,
        streamName,
        revision: BigInt(stream.length),
        position: this.nextPosition,
        created,
      };
      this.nextPosition += recordSize(streamName, event);
      stream.push(record);
      this.records.push(record);
      written.push(record);
    }
    for (const record of written) this.emitter.emit('record', record);
    const last = written.at(-1)!;
    return { kind: 'written', currentRevision: last.revision, position: last.position };
  }

  /** Index of the first record at or after `position` (the log is sorted by position). */
  indexAtOrAfter(position: bigint): number {
    let low = 0;
    let high = this.records.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.records[middle]!.position < position) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
