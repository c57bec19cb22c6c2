import pg from 'pg';

/** Facts about the PostgreSQL server and the machine that go into the report. */
export interface ServerInfo {
  readonly version: string;
  readonly settings: Record<string, string>;
}

export async function serverInfo(client: pg.Client): Promise<ServerInfo> {
  const { rows: version } = await client.query<{ v: string }>('SELECT version() AS v');
  const { rows } = await client.query<{ name: string; setting: string }>(
    `SELECT name, setting || coalesce(unit, '') AS setting FROM pg_settings
      WHERE name IN ('shared_buffers', 'synchronous_commit', 'fsync', 'wal_level', 'max_connections', 'checkpoint_timeout', 'max_wal_size')`,
  );
  return {
    version: version[0]?.v ?? 'unknown',
    settings: Object.fromEntries(rows.map((row) => [row.name, row.setting])),
  };
}

/**
 * Flushes dirty buffers before a timed run, so no run pays for the previous run's checkpoint.
 * Needs superuser or pg_checkpoint; skipped quietly without.
 */
export async function checkpoint(client: pg.Client): Promise<void> {
  await client.query('CHECKPOINT').catch(() => undefined);
}

/**
 * Transactions open for longer than `seconds` anywhere on the server. Both stores read only up to
 * the oldest running transaction (xid8 snapshot), so such a transaction stalls every catch-up.
 */
export async function longTransactions(client: pg.Client, seconds: number): Promise<string[]> {
  const { rows } = await client.query<{ what: string }>(
    `SELECT format('pid %s db %s app %s open %ss', pid, datname, application_name,
                   round(extract(epoch FROM now() - xact_start))) AS what
       FROM pg_stat_activity
      WHERE xact_start < now() - make_interval(secs => $1) AND pid <> pg_backend_pid()`,
    [seconds],
  );
  return rows.map((row) => row.what);
}
