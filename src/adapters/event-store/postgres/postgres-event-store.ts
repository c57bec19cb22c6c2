import { SqlEventStore } from '../sql/sql-event-store.js';
import { PgSqlClient } from './pg-sql-client.js';

export interface PostgresEventStoreOptions {
  readonly connectionString: string;
  readonly maxConnections?: number;
  readonly pollIntervalMs?: number;
}

/** The event store on a PostgreSQL server: many processes, LISTEN/NOTIFY wake-ups plus polling. */
export async function openPostgresEventStore(options: PostgresEventStoreOptions): Promise<SqlEventStore> {
  const sql = new PgSqlClient({
    connectionString: options.connectionString,
    ...(options.maxConnections ? { maxConnections: options.maxConnections } : {}),
    applicationName: 'ugc-event-store',
  });
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
