import pg from 'pg';
import type { SubjectQueries } from './subject-protocol.js';

const tally = new Map<string, number>();
let total = 0;

/** A statement's label: its prepared name, else its first words with the whitespace folded. */
function labelOf(query: unknown): string {
  if (typeof query === 'string') return query.replace(/\s+/g, ' ').trim().slice(0, 160);
  if (query && typeof query === 'object') {
    const { name, text } = query as { name?: unknown; text?: unknown };
    if (typeof name === 'string') return name;
    if (typeof text === 'string') return labelOf(text);
  }
  return 'other';
}

/**
 * Counts every statement a `pg` client of this process sends (pools and LISTEN clients alike go
 * through `Client.prototype.query`), the same way in both subjects: one statement, one round trip.
 */
export function countPgQueries(): () => SubjectQueries {
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function countedQuery(this: pg.Client, ...args: unknown[]) {
    total += 1;
    const label = labelOf(args[0]);
    tally.set(label, (tally.get(label) ?? 0) + 1);
    return (original as (...rest: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  return () => ({ queries: total, byStatement: Object.fromEntries(tally) });
}
