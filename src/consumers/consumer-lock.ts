import pg from 'pg';

/** Held while a consumer is the active one of its name; `lost` fires if it is taken away. */
export interface HeldLock {
  readonly lost: Promise<void>;
  release(): Promise<void>;
}

/**
 * One active consumer per name (a projection, the pipeline's intake) across every process sharing
 * the database.
 */
export interface ConsumerLock {
  tryAcquire(consumer: string): Promise<HeldLock | undefined>;
}

/**
 * A session-level advisory lock on a dedicated connection: if the process dies or the connection
 * drops, PostgreSQL releases it and a standby takes over. Correctness does not hang on it — each
 * processor's batch is idempotent against its checkpoint — it only keeps two instances from doing
 * the same work. The key keeps the `projection:` prefix of earlier releases, so during a rolling
 * deploy an old and a new process still exclude each other.
 */
export class PostgresAdvisoryLock implements ConsumerLock {
  constructor(private readonly connectionString: string) {}

  async tryAcquire(consumer: string): Promise<HeldLock | undefined> {
    const client = new pg.Client({
      connectionString: this.connectionString,
      application_name: `projection-lock:${consumer}`,
    });
    let markLost!: () => void;
    const lost = new Promise<void>((resolve) => (markLost = resolve));
    client.on('error', () => markLost());
    client.on('end', () => markLost());
    await client.connect();
    try {
      const { rows } = await client.query<{ acquired: boolean }>(
        `SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS acquired`,
        [`projection:${consumer}`],
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

/** PGlite is one process with one connection: one consumer of each name in it is the active one. */
export class InProcessLock implements ConsumerLock {
  private readonly held = new Set<string>();

  async tryAcquire(consumer: string): Promise<HeldLock | undefined> {
    if (this.held.has(consumer)) return undefined;
    this.held.add(consumer);
    return {
      // Nothing can take an in-process lock away.
      lost: new Promise<void>(() => undefined),
      release: async () => {
        this.held.delete(consumer);
      },
    };
  }
}
