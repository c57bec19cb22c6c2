import { randomUUID } from 'node:crypto';
import type { ServerWritableStream } from '@grpc/grpc-js';
import type { EventLog, LogRecord } from './event-log.js';
import { readFilter, type WireFilter } from './read-filter.js';
import { streamIdentifier, streamNameOf, wireRecordedEvent } from './wire.js';

/**
 * `ReadReq.Options` as proto-loader decodes it; unset fields are absent (the enum's 0, Forwards,
 * too).
 */
export interface ReadRequest {
  readonly stream_option?: 'stream' | 'all';
  readonly stream?: {
    readonly stream_identifier?: { stream_name?: Buffer };
    readonly revision?: string;
    readonly start?: object;
    readonly end?: object;
  };
  readonly all?: {
    readonly position?: { commit_position?: string; prepare_position?: string };
    readonly start?: object;
    readonly end?: object;
  };
  readonly read_direction?: 'Forwards' | 'Backwards';
  readonly count_option?: 'count' | 'subscription';
  readonly count?: string;
  readonly filter_option?: 'filter' | 'no_filter';
  readonly filter?: WireFilter;
  readonly uuid_option?: { readonly structured?: object; readonly string?: object };
}

export interface ReadContext {
  readonly log: EventLog;
  readonly call: ServerWritableStream<unknown, unknown>;
  readonly positionsOnStreamReads: boolean;
  readonly subscriptions: Set<ServerWritableStream<unknown, unknown>>;
}

const structuredIds = (request: ReadRequest) => request.uuid_option?.structured !== undefined;
const countOf = (request: ReadRequest) =>
  request.count === undefined ? 0n : BigInt(request.count);

/** Pair order of `$all` positions, (commit, prepare); a record sits at (position, position). */
function compareToRecord(record: LogRecord, commit: bigint, prepare: bigint): number {
  if (record.position !== commit) return record.position < commit ? -1 : 1;
  return record.position < prepare ? -1 : record.position > prepare ? 1 : 0;
}

function allEvent(record: LogRecord, request: ReadRequest): Record<string, unknown> {
  return {
    event: {
      event: wireRecordedEvent(record, {
        structuredIds: structuredIds(request),
        withPosition: true,
      }),
      commit_position: record.position.toString(),
    },
  };
}

/**
 * Reads a stream: forwards from a revision (inclusive) or the start, backwards from a revision
 * (inclusive) or the end, at most `count` events. A stream that does not exist is answered with a
 * `stream_not_found` message, not an error status (KurrentDB `ResponseConverter` in
 * Streams.Read.cs).
 */
export function readStream(
  { log, call, positionsOnStreamReads }: ReadContext,
  request: ReadRequest,
): void {
  const streamName = streamNameOf(request.stream?.stream_identifier);
  const records = log.stream(streamName);
  if (!records) {
    call.write({ stream_not_found: { stream_identifier: streamIdentifier(streamName) } });
    call.end();
    return;
  }
  const backwards = request.read_direction === 'Backwards';
  let remaining = countOf(request);
  const revision =
    request.stream?.revision === undefined ? undefined : BigInt(request.stream.revision);
  const send = (record: LogRecord) => {
    call.write({
      event: {
        event: wireRecordedEvent(record, {
          structuredIds: structuredIds(request),
          withPosition: positionsOnStreamReads,
        }),
        ...(positionsOnStreamReads
          ? { commit_position: record.position.toString() }
          : { no_position: {} }),
      },
    });
  };
  if (backwards) {
    const from =
      request.stream?.end !== undefined || revision === undefined
        ? records.length - 1
        : Math.min(Number(revision), records.length - 1);
    for (let index = from; index >= 0 && remaining > 0n; index -= 1, remaining -= 1n)
      send(records[index]!);
  } else {
    const from =
      request.stream?.end !== undefined
        ? records.length
        : revision === undefined
          ? 0
          : Number(revision);
    for (let index = from; index < records.length && remaining > 0n; index += 1, remaining -= 1n)
      send(records[index]!);
  }
  call.end();
}

/**
 * Reads `$all` (AllReader.cs): forwards from a position includes the event at that position
 * (`TFPos(prepare.LogPosition, prepare.LogPosition) >= pos`); backwards from a position returns the
 * events that end before it, so not the one at it. With a filter, `count` bounds the events that
 * match, however many the read scans to find them.
 */
export function readAll({ log, call }: ReadContext, request: ReadRequest): void {
  const filter = request.filter_option === 'filter' ? readFilter(request.filter) : undefined;
  const records = log.all;
  const position = request.all?.position;
  const commit = BigInt(position?.commit_position ?? '0');
  const prepare = BigInt(position?.prepare_position ?? '0');
  let remaining = countOf(request);
  if (request.read_direction === 'Backwards') {
    let index = records.length - 1;
    if (position)
      while (index >= 0 && compareToRecord(records[index]!, commit, prepare) >= 0) index -= 1;
    else if (request.all?.start !== undefined) index = -1;
    for (; index >= 0 && remaining > 0n; index -= 1) {
      const record = records[index]!;
      if (filter && !filter.allows(record)) continue;
      call.write(allEvent(record, request));
      remaining -= 1n;
    }
  } else {
    let index =
      request.all?.end !== undefined ? records.length : position ? log.indexAtOrAfter(commit) : 0;
    while (
      position &&
      index < records.length &&
      compareToRecord(records[index]!, commit, prepare) < 0
    )
      index += 1;
    for (; index < records.length && remaining > 0n; index += 1) {
      const record = records[index]!;
      if (filter && !filter.allows(record)) continue;
      call.write(allEvent(record, request));
      remaining -= 1n;
    }
  }
  call.end();
}

/**
 * A catch-up subscription to `$all` (the `subscription` count option): a `confirmation` first, then
 * the events after the start position (exclusive, as subscriptions are), `caught_up` at the head
 * (with the position of the last event, unless the log is empty, as the proto's comment on
 * CaughtUp says), then live events as they are written. A filtered subscription also sends a
 * `checkpoint` every `max × checkpointIntervalMultiplier` events it scans, matched or not, so a
 * subscriber that matches nothing can still move its position (filtering docs, "checkpoint").
 */
export function subscribeToAll(
  { log, call, subscriptions }: ReadContext,
  request: ReadRequest,
): void {
  const filtered = request.filter_option === 'filter';
  const filter = filtered ? readFilter(request.filter) : undefined;
  const position = request.all?.position;
  call.write({ confirmation: { subscription_id: randomUUID() } });
  let scanned = 0;
  const deliver = (record: LogRecord) => {
    scanned += 1;
    if (!filter || filter.allows(record)) call.write(allEvent(record, request));
    if (filter && scanned % filter.checkpointEvery === 0) {
      call.write({
        checkpoint: {
          commit_position: record.position.toString(),
          prepare_position: record.position.toString(),
          timestamp: now(),
        },
      });
    }
  };
  const records = log.all;
  let index = 0;
  if (request.all?.end !== undefined) index = records.length;
  else if (position) {
    const commit = BigInt(position.commit_position ?? '0');
    const prepare = BigInt(position.prepare_position ?? '0');
    index = log.indexAtOrAfter(commit);
    while (index < records.length && compareToRecord(records[index]!, commit, prepare) <= 0)
      index += 1;
  }
  // Node runs this loop to its end before any append can land, so nothing falls between it and the
  // listener.
  for (; index < records.length; index += 1) deliver(records[index]!);
  const last = records.at(-1);
  call.write({
    caught_up: {
      timestamp: now(),
      ...(last
        ? {
            position: {
              commit_position: last.position.toString(),
              prepare_position: last.position.toString(),
            },
          }
        : {}),
    },
  });
  const stop = log.onWrite(deliver);
  subscriptions.add(call);
  const end = () => {
    stop();
    subscriptions.delete(call);
  };
  call.on('cancelled', end);
  call.on('close', end);
  call.on('error', end);
}

function now(): { seconds: string; nanos: number } {
  const ms = Date.now();
  return { seconds: Math.floor(ms / 1000).toString(), nanos: (ms % 1000) * 1_000_000 };
}
