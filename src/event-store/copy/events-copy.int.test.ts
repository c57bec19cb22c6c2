import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventStore, type OpenedEventStore } from '../../adapters/event-store/open-event-store.js';
import { openPGliteEventStore } from '../../adapters/event-store/pglite/pglite-event-store.js';
import type { EventStoreChoice } from '../../config/config.js';
import { allProjections } from '../../projections/definitions/all-projections.js';
import { rebuildProjection } from '../../projections/projection-set.js';
import { openReadModels } from '../../projections/read-models/open-read-models.js';
import { silentLogger } from '../../testing/pg-world.js';
import { createTestDatabase, skipWithoutPostgres, type TestDatabase } from '../../testing/postgres.js';
import { seedActivity } from '../../testing/seed-activity.js';
import { snapshotTables } from '../../testing/table-snapshot.js';
import { EventStoreUnavailableError } from '../errors.js';
import type { EventStore } from '../event-store.js';
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
    return runEventsCopy(args, { log: silentLogger, print: (line) => printed.push(line), ...deps }).then((outcome) => ({ ...outcome, printed: printed.join('\n') }));
  };
  const readModelsOf = async (url: string) => {
    const readModels = await openReadModels({ kind: 'postgres', url });
    try {
      return await snapshotTables(readModels.db, readModelTables);
    } finally {
      await readModels.close();
    }
  };
  const storedEvents = async (url: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ events: number; ids: number }>('SELECT count(*)::int AS events, count(DISTINCT event_id)::int AS ids FROM es_events');
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
      for (const projection of allProjections) await rebuildProjection({ store, readModels, log: silentLogger, projection });
      embeddedReadModels = await snapshotTables(readModels.db, readModelTables);
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

  it('moves the embedded store to PostgreSQL and on to another PostgreSQL, the read models equal at every step', async () => {
    expect(eventCount).toBeGreaterThan(100);
    expect(Object.values(embeddedReadModels).every((rows) => rows.length > 0)).toBe(true);

    const first = await database();
    const toPostgres = await copy(['--from', dataDir, '--to', first.url]);
    expect(toPostgres.printed).toBe('');
    expect(toPostgres.exitCode).toBe(0);
    expect(toPostgres.report).toMatchObject({ alreadyThere: 0, copied: eventCount, total: eventCount });
    expect(toPostgres.rebuilt?.map((rebuilt) => rebuilt.projection)).toEqual(allProjections.map((projection) => projection.name));
    expect(await readModelsOf(first.url)).toEqual(embeddedReadModels);

    const second = await database();
    const readModels = await database();
    const onwards = await copy(['--from', first.url, '--to', second.url, '--read-models', readModels.url]);
    expect(onwards.exitCode).toBe(0);
    expect(onwards.report).toMatchObject({ copied: eventCount, total: eventCount, checksum: toPostgres.report!.checksum });
    expect(await readModelsOf(readModels.url)).toEqual(embeddedReadModels);
    expect(await storedEvents(second.url)).toEqual({ events: eventCount, ids: eventCount });
  });

  it('resumes a copy that crashed part-way: no event twice, the same checksum', async () => {
    const source = await database();
    expect((await copy(['--from', dataDir, '--to', source.url, '--skip-rebuild'])).exitCode).toBe(0);

    const target = await database();
    const crashAfter = 3;
    const crashing = await copy(['--from', source.url, '--to', target.url], { openStore: crashTargetAfter(target.url, crashAfter) });
    expect(crashing.exitCode).toBe(1);
    expect(crashing.printed).toMatch(/injected crash/);
    const partial = await storedEvents(target.url);
    expect(partial.events).toBeGreaterThan(0);
    expect(partial.events).toBeLessThan(eventCount);

    const resumed = await copy(['--from', source.url, '--to', target.url]);
    expect(resumed.exitCode).toBe(0);
    expect(resumed.report).toMatchObject({ alreadyThere: partial.events, copied: eventCount - partial.events, total: eventCount });
    expect(await storedEvents(target.url)).toEqual({ events: eventCount, ids: eventCount });
    const straight = await copy(['--from', source.url, '--to', (await database()).url, '--skip-rebuild']);
    expect(resumed.report!.checksum).toBe(straight.report!.checksum);
    expect(await readModelsOf(target.url)).toEqual(embeddedReadModels);

    const again = await copy(['--from', source.url, '--to', target.url, '--skip-rebuild']);
    expect(again.report).toMatchObject({ alreadyThere: eventCount, copied: 0, total: eventCount });
  });

  it('refuses a target that holds other events, saying so', async () => {
    const target = await database();
    const opened = await openEventStore({ kind: 'postgres', url: target.url });
    await opened.store.appendToStream('user-1', [{ id: '7d0c3a55-4b8e-4f6f-8f3e-2a9b8c1d0e4f', type: 'Foreign', data: { n: 1 } }]);
    await opened.store.close();
    const refused = await copy(['--from', dataDir, '--to', target.url]);
    expect(refused.exitCode).toBe(1);
    expect(refused.printed).toMatch(/not empty and is not a partial copy of this source: its event #1 is Foreign/);
    expect(await storedEvents(target.url)).toEqual({ events: 1, ids: 1 });
  });

  it('says what is wrong with its arguments (exit 2)', async () => {
    expect((await copy(['--from', dataDir])).exitCode).toBe(2);
    const same = await copy(['--from', 'postgres://a@db/x', '--to', 'postgres://b@db/x']);
    expect(same).toMatchObject({ exitCode: 2 });
    expect(same.printed).toMatch(/name the same store/);
    expect((await copy(['--from', join(root, 'nothing-here'), '--to', 'postgres://db/x'])).printed).toMatch(/no embedded store at/);
    expect((await copy(['--help'])).exitCode).toBe(0);
  });
});

/** Opens stores as the command does, but the target's appends fail after `appends` calls: a crash mid-copy. */
function crashTargetAfter(targetUrl: string, appends: number): (choice: EventStoreChoice) => Promise<OpenedEventStore> {
  return async (choice) => {
    const opened = await openEventStore(choice);
    if (choice.kind !== 'postgres' || choice.url !== targetUrl) return opened;
    let calls = 0;
    const store: EventStore = Object.create(opened.store, {
      appendToStream: {
        value: (...args: Parameters<EventStore['appendToStream']>) => {
          calls += 1;
          if (calls > appends) return Promise.reject(new EventStoreUnavailableError('injected crash'));
          return opened.store.appendToStream(...args);
        },
      },
    });
    return { store };
  };
}
