import pino from 'pino';
import { openPostgresEventStore } from '../adapters/event-store/postgres/postgres-event-store.js';
import type { SqlEventStore } from '../adapters/event-store/sql/sql-event-store.js';
import { openReadModels, type ReadModels } from '../database/open-read-models.js';
import { createTestDatabase, type TestDatabase } from './postgres.js';

export interface PgWorld {
  readonly database: TestDatabase;
  readonly store: SqlEventStore;
  readonly readModels: ReadModels;
  close(): Promise<void>;
}

// TEST_LOG_LEVEL=error shows what background runners hit while a test runs.
export const silentLogger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** A fresh database with the event store and the read models in it, as in production. */
export async function openPgWorld(): Promise<PgWorld> {
  const database = await createTestDatabase();
  const store = await openPostgresEventStore({
    connectionString: database.url,
    maxConnections: 30,
    pollIntervalMs: 100,
  });
  const readModels = await openReadModels({ kind: 'postgres', url: database.url });
  return {
    database,
    store,
    readModels,
    async close() {
      await readModels.close();
      await store.close();
      await database.drop();
    },
  };
}
