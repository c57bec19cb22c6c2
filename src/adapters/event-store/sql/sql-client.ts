/**
 * The little a SQL event store needs from a driver, so one implementation serves node-postgres
 * and PGlite alike.
 */
export interface SqlClient {
  query<Row extends Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs `work` on one connection inside BEGIN/COMMIT; rolls back when it throws. */
  transaction<T>(work: (client: SqlTransaction) => Promise<T>): Promise<T>;
  /** LISTEN on a channel; returns a function that stops listening. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface SqlTransaction {
  query<Row extends Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}
