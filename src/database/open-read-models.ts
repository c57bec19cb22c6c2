import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { PGliteSqlClient } from '../adapters/event-store/pglite/pglite-sql-client.js';
import { migrateReadModels } from './migrations/migrate.js';
import {
  InProcessLock,
  PostgresAdvisoryLock,
  type ConsumerLock,
} from '../consumers/consumer-lock.js';
import type { ReadModelDatabase } from './schema.js';

export interface ReadModels {
  readonly db: Kysely<ReadModelDatabase>;
  readonly lock: ConsumerLock;
  readonly kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

const DATE_OID = 1082;

/**
 * The read-model database: PostgreSQL when there is one, else the embedded PGlite database the
 * event store already opened (one connection, one process). Migrates on open.
 */
export async function openReadModels(
  target:
    | { readonly kind: 'postgres'; readonly url: string; readonly maxConnections?: number }
    | { readonly kind: 'pglite'; readonly client: PGliteSqlClient },
): Promise<ReadModels> {
  if (target.kind === 'pglite') {
    const db = new Kysely<ReadModelDatabase>({ dialect: new PGliteDialect(target.client.db) });
    await migrateReadModels(db as Kysely<unknown>);
    // The PGlite client belongs to the event store, which closes it.
    return { db, lock: new InProcessLock(), kind: 'pglite', close: async () => undefined };
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    max: target.maxConnections ?? 10,
    application_name: 'ugc-read-models',
    // Calendar dates stay strings: pg would turn them into local-midnight Date objects.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        // pg types its own parser lookup as returning any.
        // eslint-disable-next-line @typescript-eslint/no-unsafe-return
        oid === DATE_OID
          ? (value: string) => value
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // A terminated connection emits 'error' on its client even while checked out; without a
  // listener that would crash the process. The query in flight fails and the runner retries.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<ReadModelDatabase>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrateReadModels(db as Kysely<unknown>);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return {
    db,
    lock: new PostgresAdvisoryLock(target.url),
    kind: 'postgres',
    close: () => db.destroy(),
  };
}
