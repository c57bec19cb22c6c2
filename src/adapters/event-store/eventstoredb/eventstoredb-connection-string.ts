import { createRequire } from 'node:module';
import type { KurrentDBClient } from '@kurrent/kurrentdb-client';

/**
 * The one place that knows which client library speaks to EventStoreDB/KurrentDB and what
 * connection strings it takes. The configuration check (`EVENTSTORE_URL`) and the adapter both go
 * through here, so a string that passes the check is one the client opens.
 */
export const EVENTSTORE_CLIENT_PACKAGE = '@kurrent/kurrentdb-client';

/**
 * The schemes the client's connection-string parser accepts (its `parseProtocol`: exactly these,
 * case-sensitive). `esdb` still parses but the client warns it is deprecated. A test feeds
 * candidates through both this list and the parser and checks they agree.
 */
export const EVENTSTORE_URL_SCHEMES = [
  'kurrentdb',
  'kurrentdb+discover',
  'kurrent',
  'kurrent+discover',
  'kdb',
  'kdb+discover',
  'esdb',
  'esdb+discover',
] as const;

type ClientModule = typeof import('@kurrent/kurrentdb-client');

const requireCjs = createRequire(import.meta.url);
let clientModule: ClientModule | undefined;

/**
 * Loaded on first use: the gRPC client and its native bridge take a while to load, and most set-ups
 * never need them.
 */
export function loadEventStoreClient(): ClientModule {
  clientModule ??= requireCjs(EVENTSTORE_CLIENT_PACKAGE) as ClientModule;
  return clientModule;
}

/**
 * A client for the connection string; channels open lazily, on the first call. The client prints
 * a deprecation warning for `esdb://` on every parse, so that scheme is handed over as the
 * `kurrentdb://` it is equivalent to.
 */
export function eventStoreDbClient(connectionString: string): KurrentDBClient {
  return loadEventStoreClient().KurrentDBClient.connectionString(
    withoutDeprecatedScheme(connectionString),
  );
}

function withoutDeprecatedScheme(connectionString: string): string {
  return connectionString.replace(
    /^(\s*)esdb(\+discover)?:\/\//,
    (_match, space: string, discover: string | undefined) =>
      `${space}kurrentdb${discover ?? ''}://`,
  );
}

/**
 * Why the client would refuse this connection string, or undefined when it takes it. The client's
 * own parser decides (and its certificate-file checks run), so start-up cannot fail later on a
 * string that passed; the scheme is checked first only to say plainly what is expected.
 */
export function eventStoreUrlProblem(connectionString: string): string | undefined {
  const expected = `expected ${EVENTSTORE_URL_SCHEMES.map((scheme) => `${scheme}://`).join(', ')} (the schemes ${EVENTSTORE_CLIENT_PACKAGE} accepts)`;
  const scheme = /^\s*([^:/?#\s]+):\/\//.exec(connectionString)?.[1];
  if (scheme === undefined) return `${expected}, e.g. kurrentdb://localhost:2113?tls=false`;
  if (!(EVENTSTORE_URL_SCHEMES as readonly string[]).includes(scheme))
    return `${expected}, not ${scheme}://`;
  try {
    eventStoreDbClient(connectionString);
    return undefined;
  } catch (error) {
    return `${EVENTSTORE_CLIENT_PACKAGE} cannot use it: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
}
