import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const defaultTestDatabaseUrl = 'postgres://postgres@127.0.0.1:5432/postgres';

export function testDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL ?? defaultTestDatabaseUrl;
}

export interface PostgresAvailability {
  readonly available: boolean;
  readonly reason?: string;
}

let availability: Promise<PostgresAvailability> | undefined;

/** Whether the test PostgreSQL answers; asked once per worker. */
export function postgresAvailability(): Promise<PostgresAvailability> {
  availability ??= (async () => {
    const client = new pg.Client({
      connectionString: testDatabaseUrl(),
      connectionTimeoutMillis: 3000,
    });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return { available: true };
    } catch (error) {
      return { available: false, reason: `${testDatabaseUrl()}: ${(error as Error).message}` };
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return availability;
}

/**
 * For `describe.skipIf(...)`: true when PostgreSQL tests must be skipped. Says so loudly; under
 * CI a missing PostgreSQL is an error, never a quiet skip.
 */
export async function skipWithoutPostgres(suite: string): Promise<boolean> {
  const { available, reason } = await postgresAvailability();
  if (available) return false;
  const message = `PostgreSQL is not reachable (${reason}); "${suite}" cannot run. Set TEST_DATABASE_URL or start PostgreSQL.`;
  if (process.env.CI === 'true') throw new Error(`CI=true: ${message}`);
  console.warn(`\n!!! SKIPPED: ${message}\n`);
  return true;
}

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/** A fresh, empty database per test file, so files run in parallel without seeing each other. */
export async function createTestDatabase(prefix = 'ugc_test'): Promise<TestDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testDatabaseUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const dropper = new pg.Client({ connectionString: testDatabaseUrl() });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
