import { describeEventStoreContract } from '../../../ports/contracts/event-store.contract.js';
import { openPGliteEventStore } from './pglite-event-store.js';

describeEventStoreContract('PGlite', async () => {
  const { store } = await openPGliteEventStore({ pollIntervalMs: 100 });
  // One connection runs one transaction at a time, so `$all` is in commit order: no late commits.
  return { store, concurrent: false, orderedAtCommit: true, cleanup: () => store.close() };
});
