import { createRequire } from 'node:module';
import type { EventStoreDBClient } from '@eventstore/db-client';

/**
 * The one place that knows which client library speaks to EventStoreDB and what connection strings
 * it takes. The configuration check (`EVENTSTORE_URL`) and the adapter both go through here, so a
 * string that passes the check is one the client opens; a switch of client library (e.g. to
 * `@kurrent/kurrentdb-client`, which adds `kurrentdb://`) is a change to this file only.
 */
export const EVENTSTORE_CLIENT_PACKAGE = '@eventstore/db-client';

/**
 * The schemes the client's connection-string parser accepts (its `parseProtocol`: exactly these,
 * case-sensitive). A test feeds candidates through both this list and the parser and checks they agree.
 */
export const EVENTSTORE_URL_SCHEMES = ['esdb', 'esdb+discover'] as const;

type ClientModule = typeof import('@eventstore/db-client');

const requireCjs = createRequire(import.meta.url);
let clientModule: ClientModule | undefined;

/** Loaded on first use: the gRPC client takes about half a second to load, and most set-ups never need it. */
function loadClient(): ClientModule {
  clientModule ??= requireCjs(EVENTSTORE_CLIENT_PACKAGE) as ClientModule;
  return clientModule;
}

/** A client for the connection string; the gRPC channel opens lazily, on the first call. */
export function eventStoreDbClient(connectionString: string): EventStoreDBClient {
  return loadClient().EventStoreDBClient.connectionString(connectionString);
}

/**
 * Why the client would refuse this connection string, or undefined when it takes it. The client's
 * own parser decides (and its certificate-file checks run), so start-up cannot fail later on a
 * string that passed; the scheme is checked first only to say plainly what is expected.
 */
export function eventStoreUrlProblem(connectionString: string): string | undefined {
  const expected = `expected ${EVENTSTORE_URL_SCHEMES.map((scheme) => `${scheme}://`).join(' or ')} (the schemes ${EVENTSTORE_CLIENT_PACKAGE} accepts)`;
  const scheme = /^\s*([^:/?#\s]+):\/\//.exec(connectionString)?.[1];
  if (scheme === undefined) return `${expected}, e.g. esdb://localhost:2113?tls=false`;
  if (!(EVENTSTORE_URL_SCHEMES as readonly string[]).includes(scheme)) return `${expected}, not ${scheme}://`;
  try {
    eventStoreDbClient(connectionString);
    return undefined;
  } catch (error) {
    return `${EVENTSTORE_CLIENT_PACKAGE} cannot use it: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
}
