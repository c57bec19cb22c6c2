import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { expect } from 'vitest';
import { PGliteSqlClient } from '../adapters/event-store/pglite/pglite-sql-client.js';
import {
  currentSchemaVersion,
  generationStream,
  streamKindOf,
  userStream,
  type AnyDomainEvent,
  type DomainEventOf,
} from '../domain/events/catalog.js';
import type { Actor } from '../domain/events/metadata.js';
import type { JsonObject, RecordedEvent } from '../ports/event-store/event-store.js';
import { toProjectedEvent } from '../projections/projected-event.js';
import type { ProjectedEvent, Projection } from '../projections/projection.js';
import type { ReadModelDatabase } from '../database/schema.js';
import { openReadModels, type ReadModels } from '../database/open-read-models.js';

/**
 * Given/when/then specifications for one projection, on an in-memory PGlite database (no server):
 *
 * ```ts
 * const spec = projectionSpec(creditsProjection);
 * beforeAll(spec.open);
 * afterAll(spec.close);
 * it('…', () =>
 *   spec
 *     .given(userEvent(42, { type: 'CreditsGranted', data: { … } }))
 *     .when(userEvent(42, { type: 'CreditsSpent', data: { … } }))
 *     .then({ credit_balances: [{ user_id: '42', balance: 4 }] }));
 * ```
 *
 * Events go through what the runner does with a stored event (the store's filter on the
 * projection's event types, then validation and upcasting by `toProjectedEvent`) before `apply`.
 * Every scenario runs twice from empty tables: as two batches (the given events, then the when
 * events) and with each event in a batch of its own. The live runner and a rebuild cut the log
 * into batches differently, so a read model must come out the same either way.
 */
export function projectionSpec(projection: Projection): ProjectionSpec {
  let client: PGliteSqlClient | undefined;
  let readModels: ReadModels | undefined;
  const db = (): Kysely<ReadModelDatabase> => {
    if (!readModels) throw new Error('projectionSpec: call open() first (beforeAll(spec.open))');
    return readModels.db;
  };

  const project = async (batches: readonly (readonly SpecEvent[])[]): Promise<void> => {
    await sql`TRUNCATE ${sql.join(projection.tables.map((table) => sql.table(table)))}`.execute(
      db(),
    );
    const recorded = toRecorded(batches.flat());
    let next = 0;
    for (const batch of batches) {
      const events = recorded
        .slice(next, (next += batch.length))
        .filter((event) => (projection.eventTypes as readonly string[]).includes(event.type))
        .map(toProjectedEvent)
        .filter((event): event is ProjectedEvent => event !== undefined);
      if (events.length === 0) continue;
      await db()
        .transaction()
        .execute((trx) => projection.apply(trx, events));
    }
  };

  const scenario = (given: readonly SpecEvent[], when: readonly SpecEvent[]): Scenario => ({
    when: (...events) => scenario(given, [...when, ...events]),
    async then(expectation) {
      const all = [...given, ...when];
      const cuts: [string, SpecEvent[][]][] = [
        ['given, then when', [[...given], [...when]]],
        ['one event per batch', all.map((event) => [event])],
      ];
      for (const [cut, batches] of cuts) {
        await project(batches);
        try {
          if (typeof expectation === 'function') await expectation(reader(db()));
          else await expectTables(db(), expectation);
        } catch (error) {
          if (error instanceof Error)
            error.message = `[${projection.name}, ${cut}] ${error.message}`;
          throw error;
        }
      }
    },
  });

  return {
    async open() {
      client = await PGliteSqlClient.open();
      readModels = await openReadModels({ kind: 'pglite', client });
    },
    async close() {
      await readModels?.close();
      await client?.close();
    },
    given: (...events) => scenario(events, []),
  };
}

export interface ProjectionSpec {
  /** Opens and migrates the in-memory database; for `beforeAll`. */
  open(): Promise<void>;
  close(): Promise<void>;
  given(...events: SpecEvent[]): Scenario;
}

export interface Scenario {
  when(...events: SpecEvent[]): Scenario;
  /**
   * Projects the events and checks the tables: either expected rows per table (every row of the
   * table must be listed; each expected row names only the columns it cares about, in any order),
   * or an assertion of one's own over the database.
   */
  then(
    expectation: TableExpectation | ((read: ReadModelReader) => Promise<void> | void),
  ): Promise<void>;
}

export type TableExpectation = {
  readonly [table in keyof ReadModelDatabase]?: readonly Record<string, unknown>[];
};

export interface ReadModelReader {
  readonly db: Kysely<ReadModelDatabase>;
  /** Every row of a table, ordered by the given columns. */
  rows(table: keyof ReadModelDatabase, ...orderBy: string[]): Promise<Record<string, unknown>[]>;
}

/** An event as a test writes it: the domain event, the stream it belongs to, when and by whom. */
export interface SpecEvent {
  readonly streamName: string;
  readonly event: AnyDomainEvent;
  /** Domain time (the metadata's timestamp); default: one second after the previous event. */
  readonly at?: string;
  /** Default: the user themselves on a user stream, the system on a generation stream. */
  readonly actor?: Actor;
}

export interface SpecEventOptions {
  readonly at?: string;
  readonly actor?: Actor;
}

/** An event of the `user-{telegramId}` stream. */
export function userEvent(
  telegramId: number,
  event: AnyDomainEvent,
  options: SpecEventOptions = {},
): SpecEvent {
  if (streamKindOf(event.type) !== 'user')
    throw new Error(`${event.type} is not a user-stream event`);
  return {
    streamName: userStream(telegramId),
    event,
    actor: { kind: 'user', id: String(telegramId) },
    ...options,
  };
}

/** An event of the `generation-{id}` stream. */
export function generationEvent(
  generationId: string,
  event: AnyDomainEvent,
  options: SpecEventOptions = {},
): SpecEvent {
  if (streamKindOf(event.type) !== 'generation')
    throw new Error(`${event.type} is not a generation-stream event`);
  return {
    streamName: generationStream(generationId),
    event,
    actor: { kind: 'system', id: 'pipeline' },
    ...options,
  };
}

const firstEventAt = Date.parse('2026-03-01T09:00:00.000Z');

/**
 * Stored events as the store would hand them over: revisions per stream, one growing $all position.
 */
function toRecorded(events: readonly SpecEvent[]): RecordedEvent[] {
  const revisions = new Map<string, bigint>();
  let at = firstEventAt - 1000;
  return events.map((spec, index) => {
    at = spec.at === undefined ? at + 1000 : Date.parse(spec.at);
    if (Number.isNaN(at)) throw new Error(`not a timestamp: ${spec.at}`);
    const revision = revisions.get(spec.streamName) ?? 0n;
    revisions.set(spec.streamName, revision + 1n);
    const globalPosition = BigInt(index + 1);
    const timestamp = new Date(at).toISOString();
    return {
      id: randomUUID(),
      streamName: spec.streamName,
      revision,
      type: spec.event.type,
      data: spec.event.data as unknown as JsonObject,
      metadata: {
        commandId: `spec-${index}`,
        causationId: `spec-${index}`,
        correlationId: `spec-${index}`,
        actor: { ...(spec.actor ?? { kind: 'system', id: 'spec' }) },
        timestamp,
        schemaVersion: currentSchemaVersion(spec.event.type),
      },
      position: { commit: globalPosition, prepare: globalPosition },
      globalPosition,
      createdAt: new Date(at),
    };
  });
}

function reader(db: Kysely<ReadModelDatabase>): ReadModelReader {
  return {
    db,
    async rows(table, ...orderBy) {
      const order =
        orderBy.length > 0
          ? sql` ORDER BY ${sql.join(orderBy.map((column) => sql.ref(column)))}`
          : sql``;
      const result = await sql<
        Record<string, unknown>
      >`SELECT * FROM ${sql.table(table)}${order}`.execute(db);
      return result.rows;
    },
  };
}

async function expectTables(
  db: Kysely<ReadModelDatabase>,
  expectation: TableExpectation,
): Promise<void> {
  const read = reader(db);
  for (const [table, expected] of Object.entries(expectation) as [
    keyof ReadModelDatabase,
    readonly Record<string, unknown>[],
  ][]) {
    const rows = await read.rows(table);
    expect(rows, `rows of ${table}`).toHaveLength(expected.length);
    // Matched in any order: each expected row must describe a row of its own.
    const unmatched = [...rows];
    for (const row of expected) {
      const at = unmatched.findIndex((candidate) => matches(candidate, row));
      expect(
        at,
        `${table}: no row matches ${JSON.stringify(row)} among ${JSON.stringify(unmatched)}`,
      ).toBeGreaterThanOrEqual(0);
      unmatched.splice(at, 1);
    }
  }
}

function matches(row: Record<string, unknown>, expected: Record<string, unknown>): boolean {
  return Object.entries(expected).every(([column, value]) => {
    try {
      expect(row[column]).toEqual(value);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * A valid `GenerationRequested` (talking head, no background), with the fields a case cares about.
 */
export function generationRequested(
  generationId: string,
  overrides: Partial<DomainEventOf<'GenerationRequested'>['data']> = {},
): AnyDomainEvent {
  return {
    type: 'GenerationRequested',
    data: {
      generationId,
      format: 'talking_head',
      characterId: 'anna',
      characterImageKey: 'catalog/anna.png',
      characterGender: 'female',
      characterAge: '25-35',
      voiceId: 'en-f-1',
      voiceProvider: 'local',
      script: 'Hello there',
      speechText: 'Hello there',
      backgroundVideoKey: null,
      overlayShape: null,
      cost: 1,
      ...overrides,
    },
  };
}
