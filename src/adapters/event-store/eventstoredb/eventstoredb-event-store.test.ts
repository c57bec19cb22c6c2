import { describeEventStoreContract } from '../../../event-store/event-store.contract.js';
import { EventStoreDbEventStore } from './eventstoredb-event-store.js';

const url = process.env.EVENTSTORE_URL;
if (!url) {
  console.warn('\n!!! SKIPPED: event store contract: EventStoreDB — set EVENTSTORE_URL (e.g. esdb://localhost:2113?tls=false) to run it against a server.\n');
}

describeEventStoreContract(
  'EventStoreDB',
  async () => {
    const store = EventStoreDbEventStore.connect(url!);
    return { store, concurrent: true, reportsIdempotency: false, cleanup: () => store.close() };
  },
  !url,
);
