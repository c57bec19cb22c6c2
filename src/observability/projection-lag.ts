import type { Kysely } from 'kysely';
import type { EventStore } from '../ports/event-store/event-store.js';
import { START, parsePosition } from '../ports/event-store/position.js';
import type { ReadModelDatabase } from '../database/schema.js';
import { storedCheckpoints } from '../queries/projection-checkpoint-queries.js';

export interface ProjectionLag {
  readonly projection: string;
  /**
   * Events in `$all` after the projection's checkpoint (all types: the checkpoint passes them all).
   */
  readonly events: number;
  /** Age of the oldest event not yet projected; 0 when caught up. */
  readonly seconds: number;
  /** False when `events` is a lower bound (more than the count cap behind on EventStoreDB). */
  readonly exact: boolean;
}

export interface ProjectionLagOptions {
  readonly store: EventStore;
  readonly db: Kysely<ReadModelDatabase>;
  /** Every projection that should have a checkpoint; one without a row counts from the start. */
  readonly projections: readonly string[];
  /** Events read per projection to count the lag exactly; default 2000. */
  readonly countCap?: number;
  readonly now?: () => Date;
}

/**
 * How far each projection's stored checkpoint is behind the head of the log. Counts the events
 * after the checkpoint (bounded by `countCap`); past the cap, the SQL stores' global positions give
 * the number (they may overcount by sequence gaps), EventStoreDB's byte positions cannot, so the
 * cap is reported as a lower bound.
 */
export async function projectionLag(options: ProjectionLagOptions): Promise<ProjectionLag[]> {
  const cap = options.countCap ?? 2000;
  const now = (options.now ?? (() => new Date()))().getTime();
  const rows = await storedCheckpoints(options.db);
  const checkpoints = new Map(rows.map((row) => [row.name, parsePosition(row.position)]));
  const head = await options.store.headPosition();
  return Promise.all(
    options.projections.map(async (projection): Promise<ProjectionLag> => {
      const checkpoint = checkpoints.get(projection) ?? START;
      const batch = await options.store.readAll({ after: checkpoint, maxCount: cap });
      const oldest = batch.events[0];
      const seconds = oldest ? Math.max(0, (now - oldest.createdAt.getTime()) / 1000) : 0;
      if (batch.isEnd || batch.events.length < cap)
        return { projection, events: batch.events.length, seconds, exact: true };
      if (options.store.kind === 'eventstoredb')
        return { projection, events: cap, seconds, exact: false };
      const fromPosition = Number(
        head.prepare - (checkpoint.prepare < 0n ? 0n : checkpoint.prepare),
      );
      return { projection, events: Math.max(cap, fromPosition), seconds, exact: false };
    }),
  );
}
