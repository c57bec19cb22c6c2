import { SqlEventStore } from '../sql/sql-event-store.js';
import { PGliteSqlClient } from './pglite-sql-client.js';

/**
 * The zero-configuration store: embedded PostgreSQL (WASM) under `dataDir`, or in memory when
 * none is given. One process owns the directory; wake-ups stay in process.
 */
export async function openPGliteEventStore(
  options: { dataDir?: string; pollIntervalMs?: number } = {},
): Promise<{
  store: SqlEventStore;
  sql: PGliteSqlClient;
}> {
  const sql = await PGliteSqlClient.open(options.dataDir);
  try {
    const store = await SqlEventStore.open(sql, {
      kind: 'pglite',
      listen: false,
      ...(options.pollIntervalMs ? { pollIntervalMs: options.pollIntervalMs } : {}),
    });
    return { store, sql };
  } catch (error) {
    await sql.close();
    throw error;
  }
}
