import { sql } from 'kysely';
import { deleteCheckpoint } from '../consumers/checkpoints.js';
import type { EventStore } from '../ports/event-store/event-store.js';
import type { Position } from '../ports/event-store/position.js';
import type { Logger } from '../logging/logger.js';
import { allProjections } from './definitions/all-projections.js';
import type { Projection } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';
import type { ReadModels } from '../database/open-read-models.js';

export interface ProjectionSetOptions {
  readonly store: EventStore;
  readonly readModels: ReadModels;
  readonly log: Logger;
  readonly projections?: readonly Projection[];
  readonly batchSize?: number;
  readonly pollIntervalMs?: number;
  readonly standbyRetryMs?: number;
}

/** Every projection's runner, started and stopped together; `waitFor` is read-your-writes. */
export class ProjectionSet {
  readonly runners: readonly ProjectionRunner[];

  constructor(private readonly options: ProjectionSetOptions) {
    this.runners = (options.projections ?? allProjections).map(
      (projection) =>
        new ProjectionRunner({
          store: options.store,
          db: options.readModels.db,
          lock: options.readModels.lock,
          log: options.log.child({ projection: projection.name }),
          projection,
          ...(options.batchSize ? { batchSize: options.batchSize } : {}),
          ...(options.pollIntervalMs ? { pollIntervalMs: options.pollIntervalMs } : {}),
          ...(options.standbyRetryMs ? { standbyRetryMs: options.standbyRetryMs } : {}),
        }),
    );
  }

  start(): void {
    for (const runner of this.runners) runner.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.stop()));
  }

  runner(name: string): ProjectionRunner {
    const runner = this.runners.find((candidate) => candidate.name === name);
    if (!runner) throw new Error(`no projection named "${name}"`);
    return runner;
  }

  /** Waits until every projection (or the named ones) has projected up to `position`. */
  async waitFor(
    position: Position,
    options: { timeoutMs?: number; projections?: readonly string[] } = {},
  ): Promise<void> {
    const runners = options.projections
      ? options.projections.map((name) => this.runner(name))
      : this.runners;
    await Promise.all(runners.map((runner) => runner.waitFor(position, options.timeoutMs)));
  }

  /** Projects everything visible now, in this process, then returns. */
  async catchUpOnce(): Promise<void> {
    for (const runner of this.runners) await runner.catchUpOnce();
  }
}

/**
 * Truncates a projection's tables and its checkpoint, then replays the whole log into it. Takes
 * the projection's lock first, so no live runner writes while the tables are empty.
 */
export async function rebuildProjection(
  options: Omit<ProjectionSetOptions, 'projections'> & { projection: Projection },
): Promise<void> {
  const { readModels, projection } = options;
  let lock = await readModels.lock.tryAcquire(projection.name);
  for (let attempt = 0; !lock && attempt < 150; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    lock = await readModels.lock.tryAcquire(projection.name);
  }
  if (!lock)
    throw new Error(
      `projection "${projection.name}" is held by another runner; stop it before rebuilding`,
    );
  try {
    await readModels.db.transaction().execute(async (trx) => {
      await sql`TRUNCATE ${sql.join(projection.tables.map((table) => sql.table(table)))}`.execute(
        trx,
      );
      await deleteCheckpoint(trx, projection.name);
    });
    const runner = new ProjectionRunner({
      store: options.store,
      db: readModels.db,
      lock: readModels.lock,
      log: options.log,
      projection,
      batchSize: options.batchSize ?? 1000,
    });
    await runner.catchUpOnce();
  } finally {
    await lock.release();
  }
}
