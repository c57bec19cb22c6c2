import { join } from 'node:path';
import type { EventStoreChoice } from '../../config/config.js';
import type { EventStore } from '../../ports/event-store/event-store.js';
import { openPGliteEventStore } from './pglite/pglite-event-store.js';
import type { PGliteSqlClient } from './pglite/pglite-sql-client.js';
import { openPostgresEventStore } from './postgres/postgres-event-store.js';

export interface OpenedEventStore {
  readonly store: EventStore;
  /** Set when the store is embedded: the read models live in the same PGlite database. */
  readonly pglite?: PGliteSqlClient;
}

/** `EVENTSTORE_URL` → EventStoreDB; else `DATABASE_URL` → PostgreSQL; else PGlite under ./data. */
export async function openEventStore(choice: EventStoreChoice): Promise<OpenedEventStore> {
  switch (choice.kind) {
    case 'eventstoredb': {
      // Imported here: the client and its native addon take about half a second to load, which
      // the PostgreSQL and PGlite set-ups need not pay (nor depend on the addon being installable).
      const { EventStoreDbEventStore } = await import('./eventstoredb/eventstoredb-event-store.js');
      return { store: EventStoreDbEventStore.connect(choice.url) };
    }
    case 'postgres':
      return {
        store: await openPostgresEventStore({ connectionString: choice.url, maxConnections: 20 }),
      };
    case 'pglite': {
      const { store, sql } = await openPGliteEventStore({ dataDir: join(choice.dataDir) });
      return { store, pglite: sql };
    }
  }
}
