import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectionSet } from '../../src/projections/projection-set.js';
import { openPgWorld, silentLogger, type PgWorld } from '../../src/testing/pg-world.js';
import { skipWithoutPostgres } from '../../src/testing/postgres.js';
import { seedActivity } from '../../src/testing/seed-activity.js';
import { waitUntilAllVisible } from '../../src/testing/scheduling/wait-until-visible.js';

const docPath = join(import.meta.dirname, '../../docs/read-models.md');
const doc = await readFile(docPath, 'utf8');

interface DocQuery {
  readonly line: number;
  readonly text: string;
  readonly columns: readonly string[];
}

/** Every ```sql block of the document, with the columns its `-- columns:` line promises. */
function sqlBlocks(markdown: string): DocQuery[] {
  const blocks: DocQuery[] = [];
  const pattern = /```sql\n([\s\S]*?)```/g;
  for (const match of markdown.matchAll(pattern)) {
    const text = match[1]!;
    const header = /^-- columns: (.+)$/m.exec(text);
    blocks.push({
      line: markdown.slice(0, match.index).split('\n').length,
      text,
      columns: header ? header[1]!.split(',').map((c) => c.trim()) : [],
    });
  }
  return blocks;
}

const queries = sqlBlocks(doc);
const skip = await skipWithoutPostgres('docs/read-models.md queries (PostgreSQL)');

describe('docs/read-models.md', () => {
  it('has example queries, each declaring its columns', () => {
    expect(queries.length).toBeGreaterThanOrEqual(12);
    for (const query of queries)
      expect(
        query.columns,
        `sql block at line ${query.line} has no "-- columns:" line`,
      ).not.toEqual([]);
  });
});

describe.skipIf(skip)('docs/read-models.md against a populated database', () => {
  let pg: PgWorld;

  beforeAll(async () => {
    pg = await openPgWorld();
    // Relative to today, so the documented "last 30 days" filters find the data.
    const startDay = new Date(Date.now() - 5 * 86_400_000).toISOString().slice(0, 10);
    await seedActivity(pg.store, { users: 20, seed: 1, startDay });
    await waitUntilAllVisible(pg.store);
    await new ProjectionSet({
      store: pg.store,
      readModels: pg.readModels,
      log: silentLogger,
    }).catchUpOnce();
  });

  afterAll(async () => {
    await pg?.close();
  });

  it.each(queries.map((query) => [query.line, query] as const))(
    'the query at line %i runs, returns rows and the documented columns',
    async (_line, query) => {
      const result = await sql.raw<Record<string, unknown>>(query.text).execute(pg.readModels.db);
      expect(result.rows.length).toBeGreaterThan(0);
      expect(Object.keys(result.rows[0]!)).toEqual(query.columns);
    },
  );

  it('documents every column of every read-model table', async () => {
    const { rows } = await sql<{ table_name: string; column_name: string }>`
      SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = 'public'
         AND table_name NOT LIKE 'es\\_%' AND table_name NOT LIKE 'read\\_model\\_migrations%'
       ORDER BY table_name, ordinal_position`.execute(pg.readModels.db);
    expect(rows.length).toBeGreaterThan(50);
    const missing: string[] = [];
    for (const { table_name: table, column_name: column } of rows) {
      const section = new RegExp('### `' + table + '`[\\s\\S]*?(?=\\n### |$)').exec(doc)?.[0] ?? '';
      // Columns are named in backticks, alone or in a group like `width`, `height`.
      const helper = new RegExp('\\| `' + table + '` \\|[^\\n]*`' + column + '`').test(doc);
      if (!section.includes('`' + column + '`') && !helper) missing.push(`${table}.${column}`);
    }
    expect(missing, 'add these columns to docs/read-models.md').toEqual([]);
  });
});
