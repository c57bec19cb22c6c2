import type { Logger } from '../../logging/logger.js';
import { allProjections } from '../../projections/definitions/all-projections.js';
import { rebuildProjection } from '../../projections/projection-set.js';
import { openReadModels } from '../../database/open-read-models.js';
import { eventsAppliedBy } from '../../queries/projection-checkpoint-queries.js';
import type { EventStore } from '../../ports/event-store/event-store.js';

export interface RebuiltProjection {
  readonly projection: string;
  readonly eventsApplied: number;
  readonly ms: number;
}

/**
 * Every projection truncated and replayed from `store` into the read-model database at `url`, as
 * `npm run projections:rebuild` does: the read models then describe the copied log, whatever the
 * database held before.
 */
export async function rebuildReadModels(options: {
  store: EventStore;
  url: string;
  log: Logger;
}): Promise<RebuiltProjection[]> {
  const readModels = await openReadModels({ kind: 'postgres', url: options.url });
  const rebuilt: RebuiltProjection[] = [];
  try {
    for (const projection of allProjections) {
      const started = performance.now();
      await rebuildProjection({ store: options.store, readModels, log: options.log, projection });
      const eventsApplied = await eventsAppliedBy(readModels.db, projection.name);
      const done = {
        projection: projection.name,
        eventsApplied,
        ms: Math.round(performance.now() - started),
      };
      options.log.info({ stage: 'rebuild', ...done }, 'projection rebuilt');
      rebuilt.push(done);
    }
  } finally {
    await readModels.close();
  }
  return rebuilt;
}
