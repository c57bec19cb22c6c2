import pg from 'pg';

/**
 * Runs once before all test files: says loudly when PostgreSQL is missing (its suites will be
 * skipped) and fails the run under CI, where a skip would hide missing coverage.
 */
export default async function setup(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    // Leftovers of interrupted runs would slowly fill the disk.
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'ugc\\_test\\_%' OR datname LIKE 'ugc\\_bench\\_%'`,
    );
    for (const { datname } of rows) {
      const created = Number.parseInt(datname.split('_')[2] ?? '', 36);
      if (Number.isFinite(created) && Date.now() - created > 6 * 3600_000) {
        await client
          .query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)} WITH (FORCE)`)
          .catch(() => undefined);
      }
    }
  } catch (error) {
    const message = `PostgreSQL at ${url} is not reachable: ${(error as Error).message}`;
    if (process.env.CI === 'true')
      throw new Error(`CI=true and ${message}. The integration suites need it.`, { cause: error });
    console.warn(
      `\n${'!'.repeat(100)}\n!!! ${message}\n!!! Every PostgreSQL suite will be SKIPPED. Start PostgreSQL or set TEST_DATABASE_URL.\n${'!'.repeat(100)}\n`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
