import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/config.js';
import { startEventStoreDbFake } from '../../../dev/fakes/eventstoredb/index.js';
import { openEventStore } from '../open-event-store.js';

describe('EVENTSTORE_URL opens the EventStoreDB store', () => {
  it.each(['esdb', 'kurrentdb'])(
    'a %s:// address from the configuration reaches the server',
    async (scheme) => {
      const fake = await startEventStoreDbFake();
      const config = loadConfig({
        EVENTSTORE_URL: fake.url.replace('esdb://', `${scheme}://`),
        DATABASE_URL: 'postgres://unused@localhost/unused',
      });
      const { store, pglite } = await openEventStore(config.eventStore);
      try {
        expect(store.kind).toBe('eventstoredb');
        expect(pglite).toBeUndefined();
        const stream = `opened-${randomUUID()}`;
        await store.appendToStream(stream, [
          { id: randomUUID(), type: 'Opened', data: { scheme } },
        ]);
        expect((await store.readStream(stream)).map((e) => e.data)).toEqual([{ scheme }]);
        expect(fake.log.stream(stream)).toHaveLength(1);
      } finally {
        await store.close();
        await fake.close();
      }
    },
  );
});
