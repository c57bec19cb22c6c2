import pg from 'pg';

/** Held while a runner is the active one for a projection; `lost` fires if it is taken away. */
export interface HeldLock {
  readonly lost: Promise<void>;
  release(): Promise<void>;
}

/** One active runner per projection across every process sharing the database. */
export interface ProjectionLock {
  tryAcquire(projection: string): Promise<HeldLock | undefined>;
}

/**
 * A session-level advisory lock on a dedicated connection: if the process dies or the connection
 * drops, PostgreSQL releases it and a standby takes over. Correctness does not hang on it — the
 * checkpoint row is locked per batch — it only keeps two runners from doing the same work.
 */
export class PostgresAdvisoryLock implements ProjectionLock {
  constructor(private readonly connectionString: string) {}

  async tryAcquire(projection: string): Promise<HeldLock | undefined> {
    const client = new pg.Client({ connectionString: this.connectionString, application_name: `projection-lock:${projection}` });
    let markLost!: () => void;
    const lost = new Promise<void>((resolve) => (markLost = resolve));
    client.on('error', () => markLost());
    client.on('end', () => markLost());
    await client.connect();
    try {
      const { rows } = await client.query<{ acquired: boolean }>(
        `SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS acquired`,
        [`projection:${projection}`],
      );
      if (!rows[0]?.acquired) {
        await client.end();
        return undefined;
      }
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    return {
      lost,
      async release() {
        await client.end().catch(() => undefined);
      },
    };
  }
}

/** PGlite is one process with one connection: the runner in it is always the active one. */
export class InProcessLock implements ProjectionLock {
  private readonly held = new Set<string>();

  async tryAcquire(projection: string): Promise<HeldLock | undefined> {
    if (this.held.has(projection)) return undefined;
    this.held.add(projection);
    return {
      // Nothing can take an in-process lock away.
      lost: new Promise<void>(() => undefined),
      release: async () => {
        this.held.delete(projection);
      },
    };
  }
}
