import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openEventStore,
  type OpenedEventStore,
} from '../../adapters/event-store/open-event-store.js';
import { openPGliteEventStore } from '../../adapters/event-store/pglite/pglite-event-store.js';
import { startFakeEventStoreDb } from '../../dev/fakes/eventstoredb/index.js';
import type { EventStoreChoice } from '../../config/config.js';
import { allProjections } from '../../projections/definitions/all-projections.js';
import { rebuildProjection } from '../../projections/projection-set.js';
import { openReadModels } from '../../database/open-read-models.js';
import { silentLogger } from '../../testing/pg-world.js';
import {
  createTestDatabase,
  skipWithoutPostgres,
  type TestDatabase,
} from '../../testing/postgres.js';
import { seedActivity } from '../../testing/seed-activity.js';
import { snapshotTables } from '../../testing/table-snapshot.js';
import { EventStoreUnavailableError } from '../../ports/event-store/errors.js';
import type { AppendResult, EventStore } from '../../ports/event-store/event-store.js';
import { comparePositions } from '../../ports/event-store/position.js';
import { runEventsCopy, type EventsCopyDependencies } from './events-copy-command.js';

const skip = await skipWithoutPostgres('events:copy (PostgreSQL)');
const readModelTables = allProjections.flatMap((projection) => projection.tables);

describe.skipIf(skip)('events:copy', () => {
  const root = mkdtempSync(join(tmpdir(), 'events-copy-'));
  const dataDir = join(root, 'data');
  const databases: TestDatabase[] = [];
  let embeddedReadModels: Record<string, string[]>;
  let eventCount: number;

  const database = async (): Promise<TestDatabase> => {
    const created = await createTestDatabase();
    databases.push(created);
    return created;
  };
  const copy = (args: string[], deps: Partial<EventsCopyDependencies> = {}) => {
    const printed: string[] = [];
    return runEventsCopy(args, {
      log: silentLogger,
      print: (line) => printed.push(line),
      ...deps,
    }).then((outcome) => ({ ...outcome, printed: printed.join('\n') }));
  };
  const readModelsOf = async (url: string) => {
    const readModels = await openReadModels({ kind: 'postgres', url });
    try {
      return withLogPositionsRanked(await snapshotTables(readModels.db, readModelTables));
    } finally {
      await readModels.close();
    }
  };
  const storedEvents = async (url: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ events: number; ids: number }>(
        'SELECT count(*)::int AS events, count(DISTINCT event_id)::int AS ids FROM es_events',
      );
      return rows[0]!;
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    // The embedded store as the service leaves it under ./data, with its read models beside it.
    const { store, sql } = await openPGliteEventStore({ dataDir: join(dataDir, 'pglite') });
    try {
      await seedActivity(store, { users: 8, seed: 11 });
      const readModels = await openReadModels({ kind: 'pglite', client: sql });
      for (const projection of allProjections)
        await rebuildProjection({ store, readModels, log: silentLogger, projection });
      embeddedReadModels = withLogPositionsRanked(
        await snapshotTables(readModels.db, readModelTables),
      );
      const [row] = await sql.query<{ n: string }>('SELECT count(*) AS n FROM es_events');
      eventCount = Number(row!.n);
    } finally {
      await store.close();
    }
  }, 240_000);

  afterAll(async () => {
    for (const created of databases) await created.drop().catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  });

  it("moves the embedded store to PostgreSQL, to EventStoreDB and back to PostgreSQL with the README's commands, the read models equal at every step", async () => {
    expect(eventCount).toBeGreaterThan(100);
    expect(Object.values(embeddedReadModels).every((rows) => rows.length > 0)).toBe(true);
    const [toPostgresCommand, toEventStoreDbCommand, ...others] = readmeCopyCommands();
    expect(others).toEqual([]);

    const postgres = await database();
    const eventStoreDb = await startFakeEventStoreDb();
    const addresses = new Map([
      ['./data', dataDir],
      [readmePostgres, postgres.url],
      [readmeEventStoreDb, eventStoreDb.url],
    ]);
    const asHere = (args: readonly string[]) => args.map((arg) => addresses.get(arg) ?? arg);
    try {
      const toPostgres = await copy(asHere(toPostgresCommand!));
      expect(toPostgres.printed).toBe('');
      expect(toPostgres.exitCode).toBe(0);
      expect(toPostgres.report).toMatchObject({
        alreadyThere: 0,
        copied: eventCount,
        total: eventCount,
      });
      expect(toPostgres.rebuilt?.map((rebuilt) => rebuilt.projection)).toEqual(
        allProjections.map((projection) => projection.name),
      );
      expect(await readModelsOf(postgres.url)).toEqual(embeddedReadModels);

      // The README keeps the read models where they were: the PostgreSQL database that now also
      // holds the old events table. The rebuild replaces what the first copy built there.
      const toEventStoreDb = await copy(asHere(toEventStoreDbCommand!));
      expect(toEventStoreDb.printed).toBe('');
      expect(toEventStoreDb.exitCode).toBe(0);
      expect(toEventStoreDb.report).toMatchObject({
        copied: eventCount,
        total: eventCount,
        checksum: toPostgres.report!.checksum,
      });
      expect(toEventStoreDb.rebuilt).toHaveLength(allProjections.length);
      expect(await readModelsOf(postgres.url)).toEqual(embeddedReadModels);

      const back = await database();
      const toPostgresAgain = await copy(['--from', eventStoreDb.url, '--to', back.url]);
      expect(toPostgresAgain.printed).toBe('');
      expect(toPostgresAgain.exitCode).toBe(0);
      expect(toPostgresAgain.report).toMatchObject({
        copied: eventCount,
        total: eventCount,
        checksum: toPostgres.report!.checksum,
      });
      expect(await readModelsOf(back.url)).toEqual(embeddedReadModels);
      expect(await storedEvents(back.url)).toEqual({ events: eventCount, ids: eventCount });
    } finally {
      await eventStoreDb.close();
    }
  });

  it('resumes a copy that crashed part-way: no event twice, the same checksum', async () => {
    const source = await database();
    expect((await copy(['--from', dataDir, '--to', source.url, '--skip-rebuild'])).exitCode).toBe(
      0,
    );

    const target = await database();
    const crashAfter = 3;
    const crashing = await copy(['--from', source.url, '--to', target.url], {
      openStore: crashTargetAfter(target.url, crashAfter),
    });
    expect(crashing.exitCode).toBe(1);
    expect(crashing.printed).toMatch(
      /injected crash[\s\S]*running the same command again may succeed/,
    );
    const partial = await storedEvents(target.url);
    expect(partial.events).toBeGreaterThan(0);
    expect(partial.events).toBeLessThan(eventCount);

    const resumed = await copy(['--from', source.url, '--to', target.url]);
    expect(resumed.exitCode).toBe(0);
    // What the crashed run left counts as already there once visible (under load a moment later
    // than committed); a re-append of one not yet visible is answered as an idempotent retry.
    expect(resumed.report!.alreadyThere).toBeGreaterThan(0);
    expect(resumed.report!.alreadyThere).toBeLessThanOrEqual(partial.events);
    expect(resumed.report).toMatchObject({
      copied: eventCount - resumed.report!.alreadyThere,
      total: eventCount,
    });
    expect(await storedEvents(target.url)).toEqual({ events: eventCount, ids: eventCount });
    const straight = await copy([
      '--from',
      source.url,
      '--to',
      (await database()).url,
      '--skip-rebuild',
    ]);
    expect(resumed.report!.checksum).toBe(straight.report!.checksum);
    expect(await readModelsOf(target.url)).toEqual(embeddedReadModels);

    const again = await copy(['--from', source.url, '--to', target.url, '--skip-rebuild']);
    expect(again.report).toMatchObject({ alreadyThere: eventCount, copied: 0, total: eventCount });
  });

  it('stops when the source is still being written to, and copies the rest when run again', async () => {
    const source = await database();
    expect((await copy(['--from', dataDir, '--to', source.url, '--skip-rebuild'])).exitCode).toBe(
      0,
    );
    const target = await database();
    const lateEvent = {
      id: '2f5b8e1a-9c3d-4e7f-8a6b-1d2c3e4f5a6b',
      type: 'Foreign',
      data: { late: true },
    };
    const stillWritten = await copy(['--from', source.url, '--to', target.url, '--skip-rebuild'], {
      openStore: writeToSourceAtItsEnd(source.url, (store) =>
        store.appendToStream('late-1', [lateEvent]),
      ),
    });
    expect(stillWritten.exitCode).toBe(1);
    expect(stillWritten.printed).toMatch(
      /received new events while it was being copied[\s\S]*may succeed/,
    );
    expect((await storedEvents(target.url)).events).toBe(eventCount);

    const rest = await copy(['--from', source.url, '--to', target.url, '--skip-rebuild']);
    expect(rest.exitCode).toBe(0);
    expect(rest.report).toMatchObject({
      alreadyThere: eventCount,
      copied: 1,
      total: eventCount + 1,
    });
  });

  it('refuses a target that holds other events, saying so', async () => {
    const target = await database();
    const opened = await openEventStore({ kind: 'postgres', url: target.url });
    await opened.store.appendToStream('user-1', [
      { id: '7d0c3a55-4b8e-4f6f-8f3e-2a9b8c1d0e4f', type: 'Foreign', data: { n: 1 } },
    ]);
    await opened.store.close();
    const refused = await copy(['--from', dataDir, '--to', target.url]);
    expect(refused.exitCode).toBe(1);
    expect(refused.printed).toMatch(
      /not empty and is not a partial copy of this source: its event #1 is Foreign/,
    );
    expect(refused.printed).toMatch(/running it again as it is will not help/);
    expect(await storedEvents(target.url)).toEqual({ events: 1, ids: 1 });
  });

  it('says what is wrong with its arguments (exit 2)', async () => {
    expect((await copy(['--from', dataDir])).exitCode).toBe(2);
    const same = await copy(['--from', 'postgres://a@db/x', '--to', 'postgres://b@db/x']);
    expect(same).toMatchObject({ exitCode: 2 });
    expect(same.printed).toMatch(/name the same store/);
    expect(
      (await copy(['--from', join(root, 'nothing-here'), '--to', 'postgres://db/x'])).printed,
    ).toMatch(/no embedded store at/);
    expect((await copy(['--help'])).exitCode).toBe(0);
  });
});

const readmePostgres = 'postgres://ugc:secret@db.internal:5432/ugc';
const readmeEventStoreDb = 'esdb://kurrentdb.internal:2113?tls=false';

/**
 * The arguments of each `npm run events:copy -- …` line in the README's "Outgrowing one machine".
 */
function readmeCopyCommands(): string[][] {
  const readme = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8');
  const section = /^## Outgrowing one machine\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
  return [...section.matchAll(/^npm run events:copy -- (.+)$/gm)].map((match) =>
    [...match[1]!.matchAll(/"([^"]*)"|(\S+)/g)].map((word) => word[1] ?? word[2]!),
  );
}

/**
 * A `global_position` column (the credit ledger's, the payments') holds the event's number in its
 * store's `$all`: a PostgreSQL sequence, an EventStoreDB byte offset. A copy keeps the order, the
 * store picks the numbers, so rows are compared with the number replaced by its rank.
 */
function withLogPositionsRanked(snapshot: Record<string, string[]>): Record<string, string[]> {
  const ranked: Record<string, string[]> = {};
  for (const [table, rows] of Object.entries(snapshot)) {
    const parsed = rows.map((row) => JSON.parse(row) as { global_position?: number | string });
    if (!parsed.some((row) => row.global_position !== undefined)) {
      ranked[table] = rows;
      continue;
    }
    const ranks = new Map(
      [...parsed]
        .sort((a, b) => Number(a.global_position) - Number(b.global_position))
        .map((row, rank) => [row, rank]),
    );
    ranked[table] = parsed
      .map((row) => JSON.stringify({ ...row, global_position: ranks.get(row) }))
      .sort();
  }
  return ranked;
}

/**
 * Opens stores as the command does, but the target's appends fail after `appends` calls: a crash
 * mid-copy.
 */
function crashTargetAfter(
  targetUrl: string,
  appends: number,
): (choice: EventStoreChoice) => Promise<OpenedEventStore> {
  return async (choice) => {
    const opened = await openEventStore(choice);
    if (choice.kind !== 'postgres' || choice.url !== targetUrl) return opened;
    let calls = 0;
    const store: EventStore = Object.create(opened.store, {
      appendToStream: {
        value: (...args: Parameters<EventStore['appendToStream']>) => {
          calls += 1;
          if (calls > appends)
            return Promise.reject(new EventStoreUnavailableError('injected crash'));
          return opened.store.appendToStream(...args);
        },
      },
    });
    return { store };
  };
}

/**
 * Opens stores as the command does; the source gets one more event the first time a read reaches
 * its end (a service still running).
 */
function writeToSourceAtItsEnd(
  sourceUrl: string,
  write: (store: EventStore) => Promise<AppendResult>,
): (choice: EventStoreChoice) => Promise<OpenedEventStore> {
  return async (choice) => {
    const opened = await openEventStore(choice);
    if (choice.kind !== 'postgres' || choice.url !== sourceUrl) return opened;
    let written = false;
    const store: EventStore = Object.create(opened.store, {
      readAll: {
        value: async (...args: Parameters<EventStore['readAll']>) => {
          const batch = await opened.store.readAll(...args);
          if (batch.isEnd && !written) {
            written = true;
            const { position } = await write(opened.store);
            // Visible only once every older transaction on the server has ended (other test files'
            // too).
            while (comparePositions(await opened.store.headPosition(), position) < 0)
              await new Promise((resolve) => setTimeout(resolve, 25));
          }
          return batch;
        },
      },
    });
    return { store };
  };
}
