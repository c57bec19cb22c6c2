import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../../../config/config.js';
import { envSchema } from '../../../config/env-schema.js';
import { EVENTSTORE_URL_SCHEMES } from './eventstoredb-connection-string.js';

/** What the client library itself says about a connection string, asked directly. */
function clientAccepts(url: string): boolean {
  try {
    KurrentDBClient.connectionString(url);
    return true;
  } catch {
    return false;
  }
}

const schemaAccepts = (url: string) => envSchema.safeParse({ EVENTSTORE_URL: url }).success;

function configProblems(url: string): string {
  try {
    loadConfig({ EVENTSTORE_URL: url });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.join('\n');
    throw error;
  }
  throw new Error(`${url} was accepted`);
}

describe('EVENTSTORE_URL and the event-store client agree', () => {
  // The client warns on every esdb:// it parses (deprecated, still accepted); that noise says
  // nothing here.
  beforeAll(() => void vi.spyOn(console, 'warn').mockImplementation(() => undefined));

  const candidates = [
    ...EVENTSTORE_URL_SCHEMES,
    'kurrentdb+srv',
    'KurrentDB',
    'esdb+srv',
    'ESDB',
    'Esdb+Discover',
    'esdbs',
    'http',
    'https',
    'tcp',
    'postgres',
  ];

  it.each(candidates)(
    '%s:// is accepted by the schema exactly when the client accepts it',
    (scheme) => {
      const url = `${scheme}://localhost:2113?tls=false`;
      expect(schemaAccepts(url)).toBe(clientAccepts(url));
    },
  );

  it('accepts every declared scheme, so the list is not stricter than the client', () => {
    for (const scheme of EVENTSTORE_URL_SCHEMES) {
      expect(clientAccepts(`${scheme}://admin:changeit@node1:2113,node2:2113?tls=false`)).toBe(
        true,
      );
      expect(schemaAccepts(`${scheme}://admin:changeit@node1:2113,node2:2113?tls=false`)).toBe(
        true,
      );
    }
  });

  it.each([
    'kurrentdb://localhost:notaport?tls=false',
    'esdb://localhost:2113?tls=maybe',
    'esdb://localhost:2113?nodePreference=nearest',
    'esdb://localhost:2113?tlsCAFile=/nonexistent/ca.pem',
    'esdb://',
    'localhost:2113',
  ])('agrees on the rest of the string too: %s', (url) => {
    expect(clientAccepts(url)).toBe(false);
    expect(schemaAccepts(url)).toBe(false);
  });

  it('refuses another scheme naming the variable and the accepted schemes', () => {
    const problems = configProblems('http://localhost:2113?tls=false');
    expect(problems).toMatch(/^EVENTSTORE_URL: /);
    expect(problems).toContain('kurrentdb://');
    expect(problems).toContain('esdb://');
    expect(problems).toContain('not http://');
  });

  it('accepts kurrentdb://, the scheme the maintained client documents', () => {
    expect(schemaAccepts('kurrentdb://localhost:2113?tls=false')).toBe(true);
  });

  it('says what the client objects to, without echoing a password', () => {
    const problems = configProblems('esdb://admin:hunter2@localhost:2113?tls=maybe');
    expect(problems).toContain('EVENTSTORE_URL');
    expect(problems).toContain('true or false');
    expect(problems).not.toContain('hunter2');
  });
});
