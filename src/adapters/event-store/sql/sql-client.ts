/**
 * The little a SQL event store needs from a driver, so one implementation serves node-postgres
 * and PGlite alike.
 */
export interface QueryOptions {
  /**
   * Names a statement that runs often: a driver that can prepares it once per connection and
   * then only binds and executes it. One name, one text.
   */
  readonly name?: string;
}

export interface SqlClient {
  query<Row extends Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<Row[]>;
  /** Runs `work` on one connection inside BEGIN/COMMIT; rolls back when it throws. */
  transaction<T>(work: (client: SqlTransaction) => Promise<T>): Promise<T>;
  /** LISTEN on a channel; returns a function that stops listening. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface SqlTransaction {
  query<Row extends Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<Row[]>;
}
