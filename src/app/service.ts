import type { Config } from '../config/config.js';
import { createHttpServer } from '../http/http-server.js';
import type { Logger } from '../logging/logger.js';
import { ProjectionSet } from '../projections/projection-set.js';
import { openInfrastructure } from './open-infrastructure.js';

export interface RunningService {
  readonly projections: ProjectionSet;
  stop(): Promise<void>;
}

/** Composition root: everything one process runs, started in order and stopped in reverse. */
export async function startService(config: Config, log: Logger): Promise<RunningService> {
  const infrastructure = await openInfrastructure(config);
  const projections = new ProjectionSet({ store: infrastructure.store, readModels: infrastructure.readModels, log });
  projections.start();
  const http = createHttpServer({
    log,
    readiness: {
      eventStore: async () => (await infrastructure.store.headPosition(), true),
      readModels: async () => (await infrastructure.readModels.db.selectFrom('projection_checkpoints').select('name').limit(1).execute(), true),
    },
  });
  await http.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
  log.info({ eventStore: config.eventStore.kind, port: config.HTTP_PORT }, 'service started');
  return {
    projections,
    async stop() {
      await http.close();
      await projections.stop();
      await infrastructure.close();
    },
  };
}
