import { AppError } from '../../errors/app-error.js';
import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import * as readModels001 from './001-read-models.js';
import * as pipelineJobs002 from './002-pipeline-jobs.js';
import * as deliveryOutcome003 from './003-delivery-outcome.js';
import * as starsPayments004 from './004-stars-payments.js';
import * as storageNeutralColumns006 from './006-storage-neutral-columns.js';

/** Migrations live in code (not read from disk) so the built and the tsx-run service agree. */
export const readModelMigrations: Readonly<Record<string, Migration>> = {
  '001-read-models': readModels001,
  '002-pipeline-jobs': pipelineJobs002,
  '003-delivery-outcome': deliveryOutcome003,
  '004-stars-payments': starsPayments004,
  '006-storage-neutral-columns': storageNeutralColumns006,
};

const provider: MigrationProvider = { getMigrations: async () => ({ ...readModelMigrations }) };

/** Where kysely records which migrations ran, and its lock. */
export const migrationTables = {
  migrationTableName: 'read_model_migrations',
  migrationLockTableName: 'read_model_migrations_lock',
} as const;

export class MigrationError extends AppError {
  override readonly name = 'MigrationError';
  readonly code = 'MIGRATION_FAILED';
  // Another process may hold the lock or the database may be restarting; a bad migration fails
  // again loudly.
  readonly retryable = true;
}

/** Brings the read-model schema up to date; serialised across processes by kysely's lock table. */
export async function migrateReadModels(db: Kysely<unknown>): Promise<void> {
  // Two processes creating kysely's own bookkeeping tables at once can collide, so the whole
  // migration runs under a session lock, on one pinned connection (a pool would unlock elsewhere).
  await db.connection().execute(async (connection) => {
    await sql`SELECT pg_advisory_lock(hashtextextended('ugc-read-model-migrations', 0))`.execute(
      connection,
    );
    try {
      const migrator = new Migrator({
        db: connection,
        provider,
        ...migrationTables,
      });
      const { error, results } = await migrator.migrateToLatest();
      if (error) {
        const failed =
          results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
        throw new MigrationError(`read-model migration ${failed} failed`, { cause: error });
      }
    } finally {
      await sql`SELECT pg_advisory_unlock(hashtextextended('ugc-read-model-migrations', 0))`.execute(
        connection,
      );
    }
  });
}
