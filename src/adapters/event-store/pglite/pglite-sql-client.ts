import { PGlite, types } from '@electric-sql/pglite';
import type { SqlClient, SqlTransaction } from '../sql/sql-client.js';
import { lockDataDir } from './data-dir-lock.js';

type Queryable = Pick<PGlite, 'query' | 'exec'>;

async function run<Row extends Record<string, unknown>>(
  db: Queryable,
  sql: string,
  params: readonly unknown[],
): Promise<Row[]> {
  if (params.length === 0 && sql.includes(';')) {
    // Multi-statement scripts (migrations) go through the simple protocol.
    const results = await db.exec(sql);
    return (results.at(-1)?.rows ?? []) as Row[];
  }
  const result = await db.query<Row>(sql, params as unknown[]);
  return result.rows;
}

/**
 * The embedded default: PostgreSQL compiled to WASM, one connection, data under `./data`.
 * int8 and date are parsed as text (node-postgres does the same for int8 and is told to for date),
 * so both drivers hand the same values up.
 */
export class PGliteSqlClient implements SqlClient {
  private constructor(
    readonly db: PGlite,
    private readonly unlock: () => Promise<void>,
  ) {}

  /** `dataDir` undefined means in memory (tests). */
  static async open(dataDir?: string): Promise<PGliteSqlClient> {
    const unlock = dataDir ? await lockDataDir(dataDir) : async () => undefined;
    try {
      const db = await PGlite.create(dataDir ?? 'memory://', {
        parsers: { [types.INT8]: (value: string) => value, [types.DATE]: (value: string) => value },
      });
      return new PGliteSqlClient(db, unlock);
    } catch (error) {
      await unlock();
      throw error;
    }
  }

  /**
   * Statement names are ignored: PGlite runs in process, one connection, no statement cache to
   * fill.
   */
  query<Row extends Record<string, unknown>>(
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<Row[]> {
    return run<Row>(this.db, sql, params);
  }

  transaction<T>(work: (client: SqlTransaction) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) =>
      work({
        query: <Row extends Record<string, unknown>>(
          sql: string,
          params: readonly unknown[] = [],
        ) => run<Row>(tx, sql, params),
      }),
    );
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    return this.db.listen(channel, onNotify);
  }

  async close(): Promise<void> {
    try {
      await this.db.close();
    } finally {
      await this.unlock();
    }
  }
}
