import { sql, type Kysely } from 'kysely';
import type { EventStore } from '../ports/event-store/event-store.js';
import type { ReadModelDatabase } from '../database/schema.js';
import { projectionLag } from './projection-lag.js';
import type { ReadinessCheck } from './readiness-check.js';

export interface ReadinessDeps {
  readonly store: EventStore;
  readonly db: Kysely<ReadModelDatabase>;
  /** Names of the projections whose lag counts. */
  readonly projections: readonly string[];
  /** Object storage; any answer (even "no such key") proves it reachable. */
  readonly storage?: { exists(key: string): Promise<boolean> };
  /** READY_MAX_PROJECTION_LAG: more events behind than this is not ready. */
  readonly maxProjectionLag: number;
}

/** The checks behind /readyz: event store, read-model PostgreSQL, storage, projection lag. */
export function readinessChecks(deps: ReadinessDeps): Record<string, ReadinessCheck> {
  const checks: Record<string, ReadinessCheck> = {
    eventStore: async () => {
      const head = await deps.store.headPosition();
      return {
        ok: true,
        detail: {
          kind: deps.store.kind,
          headGlobalPosition: head.prepare < 0n ? null : head.prepare.toString(),
        },
      };
    },
    readModels: async () => {
      await sql`SELECT 1`.execute(deps.db);
      return true;
    },
    projections: async () => {
      const lags = await projectionLag({
        store: deps.store,
        db: deps.db,
        projections: deps.projections,
        countCap: deps.maxProjectionLag + 1,
      });
      const behind = lags.filter((lag) => lag.events > deps.maxProjectionLag);
      return {
        ok: behind.length === 0,
        detail: {
          maxLagEvents: deps.maxProjectionLag,
          lag: Object.fromEntries(
            lags.map((lag) => [
              lag.projection,
              { events: lag.events, seconds: Math.round(lag.seconds * 10) / 10 },
            ]),
          ),
          ...(behind.length > 0 ? { behind: behind.map((lag) => lag.projection) } : {}),
        },
      };
    },
  };
  const storage = deps.storage;
  if (storage) {
    checks.storage = async () => {
      await storage.exists('readyz/probe');
      return true;
    };
  }
  return checks;
}
