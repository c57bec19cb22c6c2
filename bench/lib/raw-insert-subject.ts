import { randomUUID } from 'node:crypto';
import type { SqlClient } from '../../src/adapters/event-store/sql/sql-client.js';
import type { BenchEvent } from './event-payload.js';
import type { AppendSubject } from './subject.js';

export const rawInsertTable = 'bench_raw_insert_events';

/** The event table's columns and defaults, without a key, an index or a check. */
const createTableSql = `
CREATE TABLE IF NOT EXISTS ${rawInsertTable} (
  global_position bigint GENERATED ALWAYS AS IDENTITY,
  transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  stream_name text NOT NULL,
  revision bigint NOT NULL,
  event_id uuid NOT NULL,
  event_type text NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
)`;

const insertSql = `INSERT INTO ${rawInsertTable} (stream_name, revision, event_id, event_type, data, metadata)
VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb)`;

/**
 * The baseline for our appends: what the database does with the same events when nothing is
 * checked. One autocommitted single-row INSERT per event through the very SqlClient (pool,
 * driver, server) our store uses, prepared once per connection as our append is; no expected
 * version, no idempotency, no ordering guarantee.
 */
export class RawInsertSubject implements AppendSubject {
  private constructor(private readonly sql: SqlClient) {}

  static async open(sql: SqlClient): Promise<RawInsertSubject> {
    await sql.query(createTableSql);
    return new RawInsertSubject(sql);
  }

  async append(
    streamName: string,
    events: readonly BenchEvent[],
    expected: bigint | undefined,
  ): Promise<bigint> {
    let revision = expected ?? -1n;
    for (const event of events) {
      revision += 1n;
      await this.sql.query(
        insertSql,
        [
          streamName,
          revision.toString(),
          randomUUID(),
          event.type,
          JSON.stringify(event.data),
          JSON.stringify(event.metadata),
        ],
        { name: 'bench_raw_insert' },
      );
    }
    return revision;
  }

  async reset(): Promise<void> {
    await this.sql.query(`TRUNCATE ${rawInsertTable} RESTART IDENTITY`);
  }
}
