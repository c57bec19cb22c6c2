import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { filter, firstValueFrom, take, timeout } from 'rxjs';
import { describe, expect, it } from 'vitest';
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

describe.skipIf(skip)('PostgreSQL store: hints between instances', () => {
  it("another instance's append reaches this one as a hint naming its types", async () => {
    const database = await createTestDatabase();
    const options = { connectionString: database.url, maxConnections: 2, pollIntervalMs: 200 };
    const writer = await openPostgresEventStore(options);
    const reader = await openPostgresEventStore(options);
    try {
      const hint = firstValueFrom(
        reader.appended.pipe(
          filter((h) => h.eventTypes?.includes('RemoteProbe') === true),
          take(1),
          timeout(10_000),
        ),
      );
      await writer.appendToStream('remote-1', [
        { id: randomUUID(), type: 'RemoteProbe', data: {} },
        { id: randomUUID(), type: 'OtherProbe', data: {} },
      ]);
      expect([...((await hint).eventTypes ?? [])].sort()).toEqual(['OtherProbe', 'RemoteProbe']);
    } finally {
      await writer.close();
      await reader.close();
      await database.drop();
    }
  });
});
