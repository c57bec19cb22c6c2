import { startEventStoreDbFake, type EventStoreDbFakeOptions } from './eventstoredb-fake.js';

export {
  startEventStoreDbFake,
  type EventStoreDbFake,
  type EventStoreDbFakeOptions,
} from './eventstoredb-fake.js';
export type { EventStoreFault, FaultKind, FaultTarget } from './faults.js';

/** An EventStoreDB stand-in on an ephemeral port: `url` is a connection string the clients open. */
export async function startFakeEventStoreDb(
  options: EventStoreDbFakeOptions = {},
): Promise<{ url: string; close(): Promise<void> }> {
  return startEventStoreDbFake(options);
}
