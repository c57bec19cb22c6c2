import { AppError } from '../../errors/app-error.js';
import type { z } from 'zod';
import type { DomainEvent } from '../decider.js';
import { generationEventSchemas, type GenerationEvent } from './generation-events.js';
import { upcasters as defaultUpcasters, type UpcasterTable } from './upcasters.js';
import { userEventSchemas, type UserEvent } from './user-events.js';
import type { StreamKind } from './streams.js';

export { generationStream, parseStreamName, userStream } from './streams.js';
export type { ParsedStreamName, StreamKind } from './streams.js';
export type { UserEvent } from './user-events.js';
export type { GenerationEvent } from './generation-events.js';

export interface CatalogEntry {
  readonly version: number;
  readonly schema: z.ZodType;
  readonly stream: StreamKind;
}

// Every schema starts at v1. When one changes shape, bump its version here and add an upcaster from
// the previous version, so events already stored stay readable.
const schemaVersions: Readonly<Record<string, number>> = {};

const entries = <S extends Record<string, z.ZodType>, K extends StreamKind>(
  schemas: S,
  stream: K,
) =>
  Object.fromEntries(
    Object.entries(schemas).map(([type, schema]) => [
      type,
      { version: schemaVersions[type] ?? 1, schema, stream },
    ]),
  ) as {
    readonly [T in keyof S]: {
      readonly version: number;
      readonly schema: S[T];
      readonly stream: K;
    };
  };

/** Every event the domain writes: its current schema version, schema and owning stream. */
export const eventCatalog = {
  ...entries(userEventSchemas, 'user'),
  ...entries(generationEventSchemas, 'generation'),
};

export type EventType = keyof typeof eventCatalog;
export type AnyDomainEvent = UserEvent | GenerationEvent;
export type DomainEventOf<T extends EventType> = Extract<AnyDomainEvent, { type: T }>;

export const isEventType = (type: string): type is EventType => Object.hasOwn(eventCatalog, type);

export type EventDataProblem =
  'unknown_event_type' | 'unsupported_version' | 'missing_upcaster' | 'invalid_data';

const problemCodes = {
  unknown_event_type: 'EVENT_DATA_UNKNOWN_TYPE',
  unsupported_version: 'EVENT_DATA_UNSUPPORTED_VERSION',
  missing_upcaster: 'EVENT_DATA_MISSING_UPCASTER',
  invalid_data: 'EVENT_DATA_INVALID',
} as const satisfies Record<EventDataProblem, string>;

/**
 * Stored data the domain cannot read: a bug or a deployment mismatch, so it is thrown, and
 * reading the same data again cannot help.
 */
export class EventDataError extends AppError {
  override readonly name = 'EventDataError';
  readonly code: (typeof problemCodes)[EventDataProblem];
  readonly retryable = false;
  constructor(
    /** What is wrong with the data, in the domain's words. */
    readonly problem: EventDataProblem,
    readonly eventType: string,
    readonly schemaVersion: number,
    message: string,
    readonly issues?: readonly z.core.$ZodIssue[],
  ) {
    super(message);
    this.code = problemCodes[problem];
  }
}

export interface EventDataParser {
  <T extends EventType>(type: T, data: unknown, schemaVersion: number): DomainEventOf<T>;
  (type: string, data: unknown, schemaVersion: number): AnyDomainEvent;
}

type Catalog = Readonly<Record<string, CatalogEntry>>;

/** Catalog and upcasters are parameters so the mechanism can be tested beyond today's versions. */
export function createEventDataParser(
  options: { readonly catalog?: Catalog; readonly upcasters?: UpcasterTable } = {},
): EventDataParser {
  const catalog: Catalog = options.catalog ?? eventCatalog;
  const table = options.upcasters ?? defaultUpcasters;
  return (type: string, data: unknown, schemaVersion: number): AnyDomainEvent => {
    const entry = Object.hasOwn(catalog, type) ? catalog[type] : undefined;
    if (!entry)
      throw new EventDataError(
        'unknown_event_type',
        type,
        schemaVersion,
        `Unknown event type "${type}"`,
      );
    if (!Number.isInteger(schemaVersion) || schemaVersion < 0 || schemaVersion > entry.version) {
      // A newer version means an older binary reads a newer writer's events: refuse, never guess.
      throw new EventDataError(
        'unsupported_version',
        type,
        schemaVersion,
        `${type} v${schemaVersion} is not readable; this build knows up to v${entry.version}`,
      );
    }
    let current = data;
    for (let version = schemaVersion; version < entry.version; version += 1) {
      const upcast = table[type]?.[version];
      if (!upcast) {
        throw new EventDataError(
          'missing_upcaster',
          type,
          schemaVersion,
          `No upcaster for ${type} v${version}`,
        );
      }
      current = upcast(current);
    }
    const parsed = entry.schema.safeParse(current);
    if (!parsed.success) {
      throw new EventDataError(
        'invalid_data',
        type,
        schemaVersion,
        `Invalid ${type} v${schemaVersion} data: ${parsed.error.message}`,
        parsed.error.issues,
      );
    }
    return { type, data: parsed.data } as AnyDomainEvent;
  };
}

/**
 * Validates stored data against the catalog, upcasting older versions first. Throws EventDataError.
 */
export const parseEventData: EventDataParser = createEventDataParser();

/** The version a writer must put into the metadata's `schemaVersion`. */
export const currentSchemaVersion = (type: EventType): number => eventCatalog[type].version;

/** Validates an event the domain is about to write, so a bad decider never stores bad data. */
export function validateEvent(event: DomainEvent): AnyDomainEvent {
  return parseEventData(
    event.type,
    event.data,
    isEventType(event.type) ? currentSchemaVersion(event.type) : 1,
  );
}

export const streamKindOf = (type: EventType): StreamKind => eventCatalog[type].stream;
