import {
  startEventStoreDbFake,
  type EventStoreDbFake,
} from '../../../dev/fakes/eventstoredb/index.js';
import { describeEventStoreContract } from '../../../ports/contracts/event-store.contract.js';
import { EventStoreDbEventStore } from './eventstoredb-event-store.js';

describeEventStoreContract('EventStoreDB protocol fake (the real client over gRPC)', async () => {
  const fake: EventStoreDbFake = await startEventStoreDbFake();
  const store = EventStoreDbEventStore.connect(fake.url, { pollIntervalMs: 200 });
  return {
    store,
    concurrent: true,
    reportsIdempotency: false,
    eventIdsUniqueIn: 'stream',
    orderedAtCommit: true,
    async cleanup() {
      await store.close();
      await fake.close();
    },
  };
});

describeEventStoreContract(
  'EventStoreDB protocol fake as a server before 21.10 (Append; no positions on stream reads or idempotent appends)',
  async () => {
    const fake = await startEventStoreDbFake({ serverVersion: null });
    const store = EventStoreDbEventStore.connect(fake.url, { pollIntervalMs: 200 });
    return {
      store,
      concurrent: true,
      reportsIdempotency: false,
      eventIdsUniqueIn: 'stream',
      orderedAtCommit: true,
      async cleanup() {
        await store.close();
        await fake.close();
      },
    };
  },
);

// A real server, when one is at hand: EVENTSTORE_URL=kurrentdb://localhost:2113?tls=false npm test
const url = process.env.EVENTSTORE_URL;
if (url) {
  describeEventStoreContract(
    `EventStoreDB server at ${url.replace(/\/\/[^@/]*@/, '//')}`,
    async () => {
      const store = EventStoreDbEventStore.connect(url);
      return {
        store,
        concurrent: true,
        reportsIdempotency: false,
        eventIdsUniqueIn: 'stream',
        orderedAtCommit: true,
        cleanup: () => store.close(),
      };
    },
  );
}
