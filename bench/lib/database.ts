import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Throw-away databases for one benchmark run. The name starts `ugc_bench_<base36 ms>_`, which
 * `test/global-setup.ts` recognises and drops when a crashed run left it behind.
 */
export function benchDatabaseName(label: string): string {
  return `ugc_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}_${label}`;
}

/** The same server URL pointing at another database. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withAdminClient<T>(
  serverUrl: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({
    connectionString: serverUrl,
    application_name: 'ugc-bench-admin',
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function createDatabase(serverUrl: string, database: string): Promise<string> {
  await withAdminClient(serverUrl, (client) =>
    client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`),
  );
  return databaseUrl(serverUrl, database);
}

export async function dropDatabase(serverUrl: string, database: string): Promise<void> {
  await withAdminClient(serverUrl, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`),
  );
}
