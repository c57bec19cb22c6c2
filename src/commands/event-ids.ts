import { v5 as uuidv5 } from 'uuid';

// A fixed namespace: event ids must be the same for the same command in every process, forever.
const namespace = '8f7d0f4e-5a5b-4c55-9a7e-2f1c3b9f6a10';

/**
 * The id of the n-th event a command produces. Deterministic, so when two processes handle the
 * same command, the event store sees the same ids and the second append is an idempotent no-op.
 */
export function eventIdFor(commandId: string, index: number): string {
  return uuidv5(`${commandId}#${index}`, namespace);
}
