import { describeEventStoreContract } from '../../../event-store/event-store.contract.js';
import { openPGliteEventStore } from './pglite-event-store.js';

describeEventStoreContract('PGlite', async () => {
  const { store } = await openPGliteEventStore({ pollIntervalMs: 100 });
  return { store, concurrent: false, cleanup: () => store.close() };
});
