import { isEventType, parseEventData } from '../domain/events/catalog.js';
import { actorSchema } from '../domain/events/metadata.js';
import type { RecordedEvent } from '../ports/event-store/event-store.js';
import type { ProjectedEvent } from './projection.js';

const systemActor = { kind: 'system', id: 'unknown' } as const;

// The projections of one process get the very same recorded events from one shared read (see
// SharedReads); each validated once serves them all.
const validated = new WeakMap<RecordedEvent, ProjectedEvent | null>();

/** Validates a recorded event against the catalog; foreign event types are not projected. */
export function toProjectedEvent(recorded: RecordedEvent): ProjectedEvent | undefined {
  const known = validated.get(recorded);
  if (known !== undefined) return known ?? undefined;
  const projected = validate(recorded);
  validated.set(recorded, projected ?? null);
  return projected;
}

function validate(recorded: RecordedEvent): ProjectedEvent | undefined {
  if (!isEventType(recorded.type)) return undefined;
  const version =
    typeof recorded.metadata.schemaVersion === 'number' ? recorded.metadata.schemaVersion : 1;
  const event = parseEventData(recorded.type, recorded.data, version);
  const timestamp =
    typeof recorded.metadata.timestamp === 'string'
      ? new Date(recorded.metadata.timestamp)
      : recorded.createdAt;
  const actor = actorSchema.safeParse(recorded.metadata.actor);
  return {
    event,
    recorded,
    at: Number.isNaN(timestamp.getTime()) ? recorded.createdAt : timestamp,
    actor: actor.success ? actor.data : systemActor,
  };
}

/** The Telegram id of a `user-…` stream, or undefined. */
export function userIdOf(recorded: RecordedEvent): number | undefined {
  const match = /^user-([1-9]\d*)$/.exec(recorded.streamName);
  return match ? Number(match[1]) : undefined;
}

/** The generation id of a `generation-…` stream, or undefined. */
export function generationIdOf(recorded: RecordedEvent): string | undefined {
  return recorded.streamName.startsWith('generation-')
    ? recorded.streamName.slice('generation-'.length)
    : undefined;
}

export const utcDay = (date: Date): string => date.toISOString().slice(0, 10);
