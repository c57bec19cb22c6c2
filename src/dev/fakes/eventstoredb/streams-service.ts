import { randomUUID } from 'node:crypto';
import {
  status,
  type sendUnaryData,
  type ServerDuplexStream,
  type ServerReadableStream,
  type ServerWritableStream,
  type ServiceError,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { AppendOutcome, EventLog, ExpectedRevision, ProposedEvent } from './event-log.js';
import { faultError, type FaultPlan, type LeaderEndpoint } from './faults.js';
import type { EventStoreProtocol } from './protocol.js';
import {
  readAll,
  readStream,
  subscribeToAll,
  type ReadContext,
  type ReadRequest,
} from './read-handlers.js';
import {
  expectedRevisionOf,
  proposedEvent,
  streamIdentifier,
  streamNameOf,
  WireError,
  type WireProposedMessage,
} from './wire.js';

export interface StreamsServiceOptions {
  readonly log: EventLog;
  readonly faults: FaultPlan;
  readonly protocol: EventStoreProtocol;
  /** False emulates servers before 22.6: events read from a stream carry no log position. */
  readonly positionsOnStreamReads: boolean;
  /** False: an idempotent append is answered with `no_position`, as older servers did. */
  readonly positionsOnIdempotentAppends: boolean;
  /** Live subscriptions, so the fake can drop them as a server restart would. */
  readonly subscriptions: Set<ServerWritableStream<unknown, unknown>>;
  readonly self: LeaderEndpoint;
}

function invalid(message: string): ServiceError {
  return Object.assign(new Error(message), {
    code: status.INVALID_ARGUMENT,
    details: message,
  }) as ServiceError;
}

/** `event_store.client.streams.Streams` over the log; Delete and Tombstone are not served. */
export function streamsService(options: StreamsServiceOptions): UntypedServiceImplementation {
  const { log, faults, protocol } = options;
  return {
    Read(call: ServerWritableStream<{ options?: ReadRequest }, unknown>) {
      const fault = faults.take('Read');
      if (fault) {
        call.emit('error', faultError(fault, '', options.self));
        return;
      }
      const request = call.request.options;
      if (!request) {
        call.emit('error', invalid('ReadReq without options'));
        return;
      }
      const context: ReadContext = {
        log,
        call,
        positionsOnStreamReads: options.positionsOnStreamReads,
        subscriptions: options.subscriptions,
      };
      try {
        if (request.stream_option === 'stream') {
          if (request.count_option === 'subscription') {
            call.emit(
              'error',
              Object.assign(new Error('stream subscriptions are not served by this fake'), {
                code: status.UNIMPLEMENTED,
              }),
            );
            return;
          }
          readStream(context, request);
        } else if (request.count_option === 'subscription') {
          subscribeToAll(context, request);
        } else {
          readAll(context, request);
        }
      } catch (error) {
        call.emit('error', invalid(error instanceof Error ? error.message : String(error)));
      }
    },

    /**
     * Client-streaming append: one `options` message, then the proposed events (KurrentDB
     * Streams.Append.cs); the outcome is a `success` or a `wrong_expected_version` message, not a
     * status.
     */
    Append(
      call: ServerReadableStream<Record<string, unknown>, unknown>,
      callback: sendUnaryData<unknown>,
    ) {
      let streamName: string | undefined;
      let expected: ExpectedRevision | undefined;
      const events: ProposedEvent[] = [];
      let failed = false;
      const fail = (error: ServiceError) => {
        if (failed) return;
        failed = true;
        callback(error);
      };
      call.on(
        'data',
        (message: {
          options?: Record<string, unknown>;
          proposed_message?: WireProposedMessage;
        }) => {
          try {
            if (message.options) {
              streamName = streamNameOf(
                message.options.stream_identifier as { stream_name?: Buffer },
              );
              expected = expectedRevisionOf(message.options, 'revision');
            } else if (message.proposed_message) {
              if (streamName === undefined)
                throw new WireError('the first message must be the options');
              events.push(proposedEvent(message.proposed_message));
            }
          } catch (error) {
            fail(invalid(error instanceof Error ? error.message : String(error)));
          }
        },
      );
      call.on('end', () => {
        if (failed) return;
        if (streamName === undefined || expected === undefined)
          return fail(invalid('no options were sent'));
        const fault = faults.take('Append');
        if (fault) return fail(faultError(fault, streamName, options.self));
        callback(
          null,
          appendResponse(
            withoutIdempotentPosition(log.append(streamName, expected, events), options),
            expected,
          ),
        );
      });
    },

    /**
     * Bidirectional batch append (KurrentDB Streams.BatchAppend.cs): requests carry a correlation
     * id,
     * the first one the options, the last `is_final`; each finished batch gets one response with
     * the
     * same correlation id, a failure as a `google.rpc.Status` whose details pack the reason.
     */
    BatchAppend(call: ServerDuplexStream<Record<string, unknown>, unknown>) {
      const pending = new Map<
        string,
        {
          streamName: string;
          expected: ExpectedRevision;
          options: Record<string, unknown>;
          events: ProposedEvent[];
        }
      >();
      call.on(
        'data',
        (request: {
          correlation_id?: { string?: string };
          options?: Record<string, unknown>;
          proposed_messages?: WireProposedMessage[];
          is_final?: boolean;
        }) => {
          const correlationId = request.correlation_id?.string ?? '';
          try {
            let batch = pending.get(correlationId);
            if (!batch) {
              if (!request.options)
                throw new WireError('the first request of a batch must carry the options');
              batch = {
                streamName: streamNameOf(
                  request.options.stream_identifier as { stream_name?: Buffer },
                ),
                expected: expectedRevisionOf(request.options, 'stream_position'),
                options: request.options,
                events: [],
              };
              pending.set(correlationId, batch);
            }
            for (const message of request.proposed_messages ?? [])
              batch.events.push(proposedEvent(message));
            if (!request.is_final) return;
            pending.delete(correlationId);
            const fault = faults.take('BatchAppend');
            if (fault && fault !== 'access-denied') {
              call.emit('error', faultError(fault, batch.streamName, options.self));
              return;
            }
            const head = {
              correlation_id: request.correlation_id,
              stream_identifier: streamIdentifier(batch.streamName),
              ...expectedEcho(batch.expected),
            };
            if (fault === 'access-denied') {
              // Status.AccessDenied in Status.cs: PermissionDenied with an AccessDenied detail.
              call.write({
                ...head,
                error: {
                  code: 'PERMISSION_DENIED',
                  message: 'AccessDenied',
                  details: protocol.pack('event_store.client.AccessDenied', {}),
                },
              });
              return;
            }
            call.write({
              ...head,
              ...batchResponse(
                withoutIdempotentPosition(
                  log.append(batch.streamName, batch.expected, batch.events),
                  options,
                ),
                batch.expected,
                protocol,
              ),
            });
          } catch (error) {
            call.emit('error', invalid(error instanceof Error ? error.message : String(error)));
          }
        },
      );
      call.on('end', () => call.end());
    },

    Delete(_call: unknown, callback: sendUnaryData<unknown>) {
      callback(
        Object.assign(new Error('Delete is not served by this fake'), {
          code: status.UNIMPLEMENTED,
        }),
      );
    },

    Tombstone(_call: unknown, callback: sendUnaryData<unknown>) {
      callback(
        Object.assign(new Error('Tombstone is not served by this fake'), {
          code: status.UNIMPLEMENTED,
        }),
      );
    },
  };
}

function withoutIdempotentPosition(
  outcome: AppendOutcome,
  options: StreamsServiceOptions,
): AppendOutcome {
  if (outcome.kind !== 'idempotent' || options.positionsOnIdempotentAppends) return outcome;
  return { kind: 'written', currentRevision: outcome.currentRevision, position: undefined };
}

function position(value: bigint): { commit_position: string; prepare_position: string } {
  return { commit_position: value.toString(), prepare_position: value.toString() };
}

/**
 * Streams.Append.cs `HandleWriteEventsCompleted`: a revision or no_stream, a position or
 * no_position.
 */
function appendResponse(
  outcome: AppendOutcome,
  expected: ExpectedRevision,
): Record<string, unknown> {
  if (outcome.kind === 'wrong-expected-version') {
    return {
      wrong_expected_version: {
        ...(outcome.current < 0n
          ? { current_no_stream: {} }
          : { current_revision: outcome.current.toString() }),
        ...(expected === 'any'
          ? { expected_any: {} }
          : expected === 'stream_exists'
            ? { expected_stream_exists: {} }
            : expected === 'no_stream'
              ? { expected_no_stream: {} }
              : { expected_revision: expected.toString() }),
      },
    };
  }
  return {
    success: {
      ...(outcome.currentRevision < 0n
        ? { no_stream: {} }
        : { current_revision: outcome.currentRevision.toString() }),
      ...(outcome.position === undefined
        ? { no_position: {} }
        : { position: position(outcome.position) }),
    },
  };
}

function expectedEcho(expected: ExpectedRevision): Record<string, unknown> {
  if (expected === 'any') return { any: {} };
  if (expected === 'no_stream') return { no_stream: {} };
  if (expected === 'stream_exists') return { stream_exists: {} };
  return { stream_position: expected.toString() };
}

/**
 * Status.WrongExpectedVersion in Status.cs: code AlreadyExists, details a packed
 * WrongExpectedVersion.
 */
function batchResponse(
  outcome: AppendOutcome,
  expected: ExpectedRevision,
  protocol: EventStoreProtocol,
): Record<string, unknown> {
  if (outcome.kind === 'wrong-expected-version') {
    const details = protocol.pack('event_store.client.WrongExpectedVersion', {
      ...(outcome.current < 0n
        ? { current_no_stream: {} }
        : { current_stream_revision: outcome.current.toString() }),
      ...(expected === 'any'
        ? { expected_any: {} }
        : expected === 'stream_exists'
          ? { expected_stream_exists: {} }
          : expected === 'no_stream'
            ? { expected_no_stream: {} }
            : { expected_stream_position: expected.toString() }),
    });
    return { error: { code: 'ALREADY_EXISTS', message: 'WrongExpectedVersion', details } };
  }
  return {
    success: {
      ...(outcome.currentRevision < 0n
        ? { no_stream: {} }
        : { current_revision: outcome.currentRevision.toString() }),
      ...(outcome.position === undefined
        ? { no_position: {} }
        : { position: position(outcome.position) }),
    },
  };
}

export const newSubscriptionId = (): string => randomUUID();
