import type { Kysely } from 'kysely';
import { checkpointUpsert, loadCheckpoint } from '../consumers/checkpoints.js';
import type { ConsumerProcessor } from '../consumers/consumer-processor.js';
import { comparePositions } from '../ports/event-store/position.js';
import type { Projection, ProjectedEvent } from './projection.js';
import { toProjectedEvent } from './projected-event.js';
import type { ReadModelDatabase } from '../database/schema.js';

/**
 * A projection as a consumer's processor: each batch's read-model changes and the new checkpoint
 * in one transaction. The checkpoint row is locked first, which serialises any two writers of the
 * projection, and events at or below it are skipped, so a redelivered batch is a no-op.
 */
export function projector(
  db: Kysely<ReadModelDatabase>,
  projection: Projection,
): ConsumerProcessor {
  return {
    name: projection.name,
    eventTypes: projection.eventTypes,
    handle: (batch) =>
      db.transaction().execute(async (trx) => {
        const checkpoint = await loadCheckpoint(trx, projection.name, { forUpdate: true });
        if (comparePositions(batch.lastPosition, checkpoint) <= 0) return checkpoint;
        const fresh: ProjectedEvent[] = [];
        for (const recorded of batch.events) {
          if (comparePositions(recorded.position, checkpoint) <= 0) continue;
          const projected = toProjectedEvent(recorded);
          if (projected) fresh.push(projected);
        }
        if (fresh.length > 0) await projection.apply(trx, fresh);
        const globalPosition = batch.events.at(-1)?.globalPosition ?? batch.lastPosition.prepare;
        await checkpointUpsert({
          name: projection.name,
          position: batch.lastPosition,
          globalPosition,
          events: fresh.length,
        }).execute(trx);
        return batch.lastPosition;
      }),
  };
}
