import pg from 'pg';
import type { QueryOptions, SqlClient, SqlTransaction } from '../sql/sql-client.js';

export interface PgSqlClientOptions {
  readonly connectionString: string;
  readonly maxConnections?: number;
  readonly applicationName?: string;
}

/** node-postgres behind the SqlClient seam: a pool for queries, one dedicated client per LISTEN. */
export class PgSqlClient implements SqlClient {
  readonly pool: pg.Pool;
  private readonly listeners = new Set<pg.Client>();

  constructor(private readonly options: PgSqlClientOptions) {
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      application_name: options.applicationName ?? 'ugc-studio',
    });
    // An idle client that dies (server restart) must not crash the process; the pool replaces it.
    this.pool.on('error', () => undefined);
    // Same for a client that dies while checked out: its query fails, the process lives on.
    this.pool.on('connect', (client) => client.on('error', () => undefined));
  }

  async query<Row extends Record<string, unknown>>(
    sql: string,
    params: readonly unknown[] = [],
    options: QueryOptions = {},
  ): Promise<Row[]> {
    const values = params as unknown[];
    const result = await this.pool.query<Row>(
      options.name ? { name: options.name, text: sql, values } : { text: sql, values },
    );
    return result.rows;
  }

  async transaction<T>(work: (client: SqlTransaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work({
        query: async <Row extends Record<string, unknown>>(
          sql: string,
          params: readonly unknown[] = [],
        ) => (await client.query<Row>(sql, params as unknown[])).rows,
      });
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    let stopped = false;
    let client: pg.Client | undefined;
    const connect = async (): Promise<void> => {
      const next = new pg.Client({ connectionString: this.options.connectionString });
      next.on('notification', (message) => {
        if (message.channel === channel) onNotify(message.payload ?? '');
      });
      // A dropped LISTEN connection is re-opened; polling covers the gap meanwhile.
      next.on('error', () => undefined);
      next.on('end', () => {
        this.listeners.delete(next);
        if (!stopped) setTimeout(() => void connect().catch(() => undefined), 1000).unref();
      });
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      this.listeners.add(next);
      client = next;
      onNotify('');
    };
    await connect();
    return async () => {
      stopped = true;
      if (client) {
        this.listeners.delete(client);
        await client.end().catch(() => undefined);
      }
    };
  }

  async close(): Promise<void> {
    for (const listener of this.listeners) await listener.end().catch(() => undefined);
    this.listeners.clear();
    await this.pool.end();
  }
}
