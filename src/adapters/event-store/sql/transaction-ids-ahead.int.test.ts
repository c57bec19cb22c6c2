import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START } from '../../../ports/event-store/position.js';
import {
  createTestDatabase,
  skipWithoutPostgres,
  type TestDatabase,
} from '../../../testing/postgres.js';
import { PGliteSqlClient } from '../pglite/pglite-sql-client.js';
import { openPostgresEventStore } from '../postgres/postgres-event-store.js';
import { SqlEventStore } from './sql-event-store.js';
import { TransactionIdsAheadError } from './transaction-ids-ahead-error.js';

const skip = await skipWithoutPostgres('event store: transaction ids after a restore');

const events = (count: number) =>
  Array.from({ length: count }, (_, index) => ({
    id: randomUUID(),
    type: 'Happened',
    data: { index },
    metadata: { test: true },
  }));

/**
 * What a logical dump restores: every column as it was on the old server, the transaction ids and
 * positions included (`COPY ... FROM stdin` writes identity columns too). `shift` moves the ids as
 * if the old server had handed out more (or fewer) transactions than this one.
 */
async function restoreDumpOf(
  source: string,
  target: string,
  shift: (xid: bigint, first: bigint) => bigint,
): Promise<number> {
  const from = new pg.Client({ connectionString: source });
  const to = new pg.Client({ connectionString: target });
  await from.connect();
  await to.connect();
  try {
    const { rows } = await from.query<Record<string, unknown> & { transaction_id: string }>(
      `SELECT global_position, transaction_id::text AS transaction_id, stream_name, revision, event_id, event_type, data, metadata, created_at
         FROM es_events ORDER BY global_position`,
    );
    const first = rows.reduce(
      (min, row) => (BigInt(row.transaction_id) < min ? BigInt(row.transaction_id) : min),
      2n ** 63n,
    );
    await to.query('BEGIN');
    for (const row of rows) {
      await to.query(
        `INSERT INTO es_events (global_position, transaction_id, stream_name, revision, event_id, event_type, data, metadata, created_at)
         OVERRIDING SYSTEM VALUE VALUES ($1, $2::text::xid8, $3, $4, $5, $6, $7, $8, $9)`,
        [
          row.global_position,
          shift(BigInt(row.transaction_id), first).toString(),
          row.stream_name,
          row.revision,
          row.event_id,
          row.event_type,
          row.data,
          row.metadata,
          row.created_at,
        ],
      );
    }
    await to.query(
      `SELECT setval(pg_get_serial_sequence('es_events', 'global_position'), (SELECT max(global_position) FROM es_events))`,
    );
    await to.query('COMMIT');
    return rows.length;
  } finally {
    await from.end();
    await to.end();
  }
}

describe.skipIf(skip)(
  'PostgreSQL event store: transaction ids ahead of the server (a restored dump)',
  () => {
    let old: TestDatabase;
    const databases: TestDatabase[] = [];

    beforeAll(async () => {
      old = await createTestDatabase();
      databases.push(old);
      const store = await openPostgresEventStore({ connectionString: old.url });
      await store.appendToStream(`restore-${randomUUID()}`, events(3), {
        expectedState: 'no_stream',
      });
      await store.appendToStream(`restore-${randomUUID()}`, events(2), {
        expectedState: 'no_stream',
      });
      await store.close();
    });
    afterAll(async () => {
      for (const database of databases) await database.drop();
    });

    async function freshTarget(): Promise<TestDatabase> {
      const target = await createTestDatabase();
      databases.push(target);
      // The operator creates the schema by starting the service once, then restores the data.
      await (await openPostgresEventStore({ connectionString: target.url })).close();
      return target;
    }

    it('a store with events opens again and reads them', async () => {
      const store = await openPostgresEventStore({ connectionString: old.url });
      try {
        expect((await store.readAll({ after: START })).events).toHaveLength(5);
      } finally {
        await store.close();
      }
    });

    it('refuses to open when the restored ids are ahead, naming what happened and the copy command', async () => {
      const target = await freshTarget();
      expect(await restoreDumpOf(old.url, target.url, (xid) => xid + 1_000_000_000n)).toBe(5);

      const error = await openPostgresEventStore({ connectionString: target.url }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(TransactionIdsAheadError);
      const ahead = error as TransactionIdsAheadError;
      expect(ahead.code).toBe('EVENT_STORE_TRANSACTION_IDS_AHEAD');
      expect(ahead.retryable).toBe(false);
      expect(ahead.storedMax).toBeGreaterThan(ahead.serverNext);
      expect(ahead.message).toContain('restored from a dump');
      expect(ahead.message).toContain('npm run events:copy -- --from <old> --to <new>');
    });

    it('opens when the restored ids are behind the server: the events are visible and new ones sort after them', async () => {
      const target = await freshTarget();
      // A restore from a younger server (PGlite starts near 700) lands below this server's counter.
      await restoreDumpOf(old.url, target.url, (xid, first) => xid - first + 3n);
      const store = await openPostgresEventStore({ connectionString: target.url });
      try {
        const restored = await store.readAll({ after: START });
        expect(restored.events).toHaveLength(5);
        const appended = await store.appendToStream(`restore-${randomUUID()}`, events(1), {
          expectedState: 'no_stream',
        });
        expect(appended.position.commit).toBeGreaterThan(restored.lastPosition.commit);
      } finally {
        await store.close();
      }
    });
  },
);

describe('PGlite event store: transaction ids ahead of the embedded database', () => {
  it('refuses to open a restore from a busier server', async () => {
    const sql = await PGliteSqlClient.open();
    try {
      await SqlEventStore.open(sql, { kind: 'pglite' });
      await sql.query(
        `INSERT INTO es_events (transaction_id, stream_name, revision, event_id, event_type, data)
         VALUES ('5000000000'::xid8, 'restored-1', 0, $1, 'Happened', '{}')`,
        [randomUUID()],
      );
      await expect(SqlEventStore.open(sql, { kind: 'pglite' })).rejects.toBeInstanceOf(
        TransactionIdsAheadError,
      );
    } finally {
      await sql.close();
    }
  });
});
