import { openEventStore } from '../adapters/event-store/open-event-store.js';
import type { Config } from '../config/config.js';
import type { EventStore } from '../ports/event-store/event-store.js';
import { openReadModels, type ReadModels } from '../database/open-read-models.js';

export interface Infrastructure {
  readonly store: EventStore;
  readonly readModels: ReadModels;
  close(): Promise<void>;
}

/**
 * The event store and the read-model database, as configured: EventStoreDB + PostgreSQL,
 * PostgreSQL for both, or one embedded PGlite database for both.
 */
export async function openInfrastructure(config: Config): Promise<Infrastructure> {
  const opened = await openEventStore(config.eventStore);
  try {
    let readModels: ReadModels;
    if (opened.pglite) {
      readModels = await openReadModels({ kind: 'pglite', client: opened.pglite });
    } else if (config.DATABASE_URL) {
      readModels = await openReadModels({ kind: 'postgres', url: config.DATABASE_URL });
    } else {
      throw new Error('EVENTSTORE_URL needs DATABASE_URL too: the read models live in PostgreSQL');
    }
    return {
      store: opened.store,
      readModels,
      async close() {
        await readModels.close();
        await opened.store.close();
      },
    };
  } catch (error) {
    await opened.store.close();
    throw error;
  }
}
