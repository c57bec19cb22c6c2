import pg from 'pg';
import { describeEventStoreContract } from '../../../ports/contracts/event-store.contract.js';
import { createTestDatabase, skipWithoutPostgres } from '../../../testing/postgres.js';
import { openPostgresEventStore } from './postgres-event-store.js';

const skip = await skipWithoutPostgres('event store contract: PostgreSQL');

describeEventStoreContract(
  'PostgreSQL',
  async () => {
    const database = await createTestDatabase();
    const store = await openPostgresEventStore({
      connectionString: database.url,
      maxConnections: 20,
      pollIntervalMs: 200,
    });
    const held = new Set<pg.Client>();
    return {
      store,
      concurrent: true,
      async beginLateAppend(stream, events) {
        const client = new pg.Client({ connectionString: database.url });
        await client.connect();
        held.add(client);
        await client.query('BEGIN');
        await client.query('SELECT * FROM es_append($1, $2, $3::jsonb)', [
          stream,
          'any',
          JSON.stringify(events),
        ]);
        return {
          async commit() {
            await client.query('COMMIT');
            await client.end();
            held.delete(client);
          },
        };
      },
      async cleanup() {
        for (const client of held) await client.end().catch(() => undefined);
        await store.close();
        await database.drop();
      },
    };
  },
  skip,
);
