import { SqlEventStore } from '../sql/sql-event-store.js';
import { PgSqlClient } from './pg-sql-client.js';

export interface PostgresEventStoreOptions {
  readonly connectionString: string;
  readonly maxConnections?: number;
  readonly pollIntervalMs?: number;
}

/** The pool the store runs on, for a caller that wants to share it (the benchmark's baseline). */
export function postgresEventStoreClient(options: PostgresEventStoreOptions): PgSqlClient {
  return new PgSqlClient({
    connectionString: options.connectionString,
    ...(options.maxConnections ? { maxConnections: options.maxConnections } : {}),
    applicationName: 'ugc-event-store',
  });
}

/**
 * The event store on a PostgreSQL server: many processes, LISTEN/NOTIFY wake-ups plus polling.
 * The store owns `sql` from here on and closes it, also when opening fails.
 */
export async function openPostgresEventStore(
  options: PostgresEventStoreOptions,
  sql: PgSqlClient = postgresEventStoreClient(options),
): Promise<SqlEventStore> {
  try {
    return await SqlEventStore.open(sql, {
      kind: 'postgres',
      listen: true,
      ...(options.pollIntervalMs ? { pollIntervalMs: options.pollIntervalMs } : {}),
    });
  } catch (error) {
    await sql.close();
    throw error;
  }
}
