import { AppError } from '../../errors/app-error.js';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { eventStoreUrlProblem } from '../../adapters/event-store/eventstoredb/eventstoredb-connection-string.js';
import type { EventStoreChoice } from '../../config/config.js';
import { scrubSecrets } from '../../logging/logger.js';

/** A `--from`/`--to` value the copy cannot use; the message says what it expects. */
export class StoreAddressError extends AppError {
  override readonly name = 'StoreAddressError';
  readonly code = 'BAD_STORE_ADDRESS';
  readonly retryable = false;
}

const postgresUrl = /^postgres(ql)?:\/\//;
const anyUrl = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/**
 * Reads a store address: `postgres://…` is PostgreSQL, any other `scheme://` goes to the
 * EventStoreDB client's own parser (so what passes here is what `EVENTSTORE_URL` accepts), and
 * anything else is a path to the embedded store: the service's data directory (`./data`, whose
 * store is `./data/pglite`) or the PGlite directory itself. A path with no store in it is refused
 * rather than opened, since opening would create an empty one.
 */
export function parseStoreAddress(text: string, role: 'source' | 'target'): EventStoreChoice {
  const value = text.trim();
  if (value === '') throw new StoreAddressError(`the ${role} is empty`);
  if (postgresUrl.test(value)) return { kind: 'postgres', url: value };
  if (anyUrl.test(value)) {
    const problem = eventStoreUrlProblem(value);
    if (problem)
      throw new StoreAddressError(
        `the ${role} ${scrubSecrets(value)} is neither postgres:// nor an EventStoreDB address: ${problem}`,
      );
    return { kind: 'eventstoredb', url: value };
  }
  if (role === 'target') {
    throw new StoreAddressError(
      `the target must be PostgreSQL (postgres://…) or EventStoreDB (esdb://…), not a path: the embedded store is where a move starts, never where it ends`,
    );
  }
  const dir = resolve(value);
  for (const candidate of [dir, join(dir, 'pglite')]) {
    if (existsSync(join(candidate, 'PG_VERSION'))) return { kind: 'pglite', dataDir: candidate };
  }
  throw new StoreAddressError(
    `no embedded store at ${dir}: expected the data directory (holding pglite/) or the pglite directory itself`,
  );
}

/** The address as logs may show it: the password of a connection string hidden. */
export function describeStore(choice: EventStoreChoice): string {
  return choice.kind === 'pglite' ? `pglite:${choice.dataDir}` : scrubSecrets(choice.url);
}

/** True when two addresses name one store, so a copy would read what it writes. */
export function sameStore(a: EventStoreChoice, b: EventStoreChoice): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'pglite' || b.kind === 'pglite')
    return a.kind === 'pglite' && b.kind === 'pglite' && a.dataDir === b.dataDir;
  return normalizeUrl(a.url) === normalizeUrl(b.url);
}

function normalizeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.hostname.toLowerCase()}:${parsed.port}${parsed.pathname.replace(/\/+$/, '')}`;
  } catch {
    return url;
  }
}
