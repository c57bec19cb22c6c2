import { randomUUID } from 'node:crypto';
import type { EventStore } from '../../ports/event-store/event-store.js';
import { comparePositions, type Position } from '../../ports/event-store/position.js';

/**
 * Resolves once every event appended before the call is visible in `$all`. Appends a marker to a
 * throwaway stream (projections ignore its type) and waits for the visible head to reach it: in
 * PostgreSQL an event becomes visible only when all older transactions have ended, including
 * other databases' on the same server, so a head that merely stopped moving for a moment is not
 * proof under load.
 */
export async function waitUntilAllVisible(
  store: EventStore,
  timeoutMs = 30_000,
): Promise<Position> {
  const { position } = await store.appendToStream(`test-visibility-${randomUUID()}`, [
    { id: randomUUID(), type: 'VisibilityMarker', data: {} },
  ]);
  const deadline = Date.now() + timeoutMs;
  while (comparePositions(await store.headPosition(), position) < 0) {
    if (Date.now() > deadline)
      throw new Error(
        `events appended before ${JSON.stringify(position, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))} did not become visible within ${timeoutMs} ms`,
      );
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return position;
}
