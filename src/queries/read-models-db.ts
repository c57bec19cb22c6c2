import type { Kysely, Selectable } from 'kysely';
import type { ReadModelDatabase } from '../database/schema.js';

/** What every read-model query takes: the kysely handle on the read-model database. */
export type ReadModelsDb = Kysely<ReadModelDatabase>;

/** A whole row of a read-model table, as a query returns it. */
export type ReadModelRow<Table extends keyof ReadModelDatabase> = Selectable<
  ReadModelDatabase[Table]
>;
