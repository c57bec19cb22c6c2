import { loadStartupConfig } from '../config/startup-config.js';
import { createLogger } from '../logging/logger.js';
import { allProjections } from './definitions/all-projections.js';
import { openInfrastructure } from './open-infrastructure.js';
import { rebuildProjection } from './projection-set.js';

/**
 * `npm run projections:rebuild [name…]`: truncates the named projections (all by default) and
 * replays the event log into them. Safe while the service runs: each rebuild holds the
 * projection's lock, so the live runner waits.
 */
const config = loadStartupConfig('projections:rebuild');
const log = createLogger({ name: 'projections:rebuild', level: config.LOG_LEVEL });
const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const unknown = wanted.filter(
  (name) => !allProjections.some((projection) => projection.name === name),
);
if (unknown.length > 0) {
  log.error({ unknown, known: allProjections.map((p) => p.name) }, 'unknown projection names');
  process.exit(2);
}
const selected =
  wanted.length > 0
    ? allProjections.filter((projection) => wanted.includes(projection.name))
    : allProjections;
const infrastructure = await openInfrastructure(config);
try {
  for (const projection of selected) {
    const started = performance.now();
    await rebuildProjection({
      store: infrastructure.store,
      readModels: infrastructure.readModels,
      log,
      projection,
    });
    const row = await infrastructure.readModels.db
      .selectFrom('projection_checkpoints')
      .select(['events_applied', 'position'])
      .where('name', '=', projection.name)
      .executeTakeFirst();
    log.info(
      {
        projection: projection.name,
        eventsApplied: Number(row?.events_applied ?? 0),
        position: row?.position ?? 'start',
        ms: Math.round(performance.now() - started),
      },
      'projection rebuilt',
    );
  }
} finally {
  await infrastructure.close();
}
