import { randomUUID } from 'node:crypto';
import {
  parseScheduleEvent,
  scheduleEventSchemas,
  scheduleEventVersion,
  type ScheduleEvent,
} from '../domain/events/schedule-events.js';
import type { EventMetadata } from '../domain/events/metadata.js';
import { isWrongExpectedVersion } from '../ports/event-store/errors.js';
import type { EventStore, RecordedEvent } from '../ports/event-store/event-store.js';
import type { ExpectedState } from '../ports/event-store/stream-state.js';

export interface LoadedScheduleStream {
  readonly events: readonly { readonly event: ScheduleEvent; readonly recorded: RecordedEvent }[];
  /** The revision to expect for the next append: 'no_stream' when empty. */
  readonly expected: ExpectedState;
}

export async function loadScheduleStream(
  store: EventStore,
  stream: string,
): Promise<LoadedScheduleStream> {
  const recorded = await store.readStream(stream);
  const events = recorded.map((r) => ({
    event: parseScheduleEvent(
      r.type,
      r.data,
      typeof r.metadata.schemaVersion === 'number' ? r.metadata.schemaVersion : 1,
    ),
    recorded: r,
  }));
  const last = recorded.at(-1);
  return { events, expected: last ? last.revision : 'no_stream' };
}

export interface AppendContext {
  readonly instanceId: string;
  readonly now: () => Date;
  /** Ties a slot's events together (the stream name). */
  readonly correlationId: string;
}

/**
 * Appends one schedule event at an expected state. Returns false when the stream had moved on:
 * another instance claimed, took over or finished the slot first, which is an expected outcome.
 */
export async function appendScheduleEvent(
  store: EventStore,
  stream: string,
  event: ScheduleEvent,
  expected: ExpectedState,
  context: AppendContext,
): Promise<boolean> {
  // Validate before writing, so a bug can never store a claim other instances cannot read.
  scheduleEventSchemas[event.type].parse(event.data);
  const id = randomUUID();
  const metadata: EventMetadata = {
    commandId: id,
    causationId: id,
    correlationId: context.correlationId,
    actor: { kind: 'system', id: `scheduler:${context.instanceId}` },
    timestamp: context.now().toISOString(),
    schemaVersion: scheduleEventVersion(event.type),
  };
  try {
    await store.appendToStream(stream, [{ id, type: event.type, data: event.data, metadata }], {
      expectedState: expected,
    });
    return true;
  } catch (error) {
    if (isWrongExpectedVersion(error)) return false;
    throw error;
  }
}
