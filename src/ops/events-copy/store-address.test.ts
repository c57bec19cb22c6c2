import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreAddressError, describeStore, parseStoreAddress, sameStore } from './store-address.js';

const root = mkdtempSync(join(tmpdir(), 'store-address-'));
const dataDir = join(root, 'data');
mkdirSync(join(dataDir, 'pglite'), { recursive: true });
writeFileSync(join(dataDir, 'pglite', 'PG_VERSION'), '17\n');

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('store addresses for events:copy', () => {
  it('reads PostgreSQL and EventStoreDB URLs', () => {
    expect(parseStoreAddress('postgres://u:p@db:5432/ugc', 'target')).toEqual({
      kind: 'postgres',
      url: 'postgres://u:p@db:5432/ugc',
    });
    expect(parseStoreAddress('postgresql://db/ugc', 'source')).toEqual({
      kind: 'postgres',
      url: 'postgresql://db/ugc',
    });
    expect(parseStoreAddress('esdb://127.0.0.1:2113?tls=false', 'target')).toEqual({
      kind: 'eventstoredb',
      url: 'esdb://127.0.0.1:2113?tls=false',
    });
  });

  it('takes the data directory or its pglite directory as the embedded source', () => {
    expect(parseStoreAddress(dataDir, 'source')).toEqual({
      kind: 'pglite',
      dataDir: join(dataDir, 'pglite'),
    });
    expect(parseStoreAddress(join(dataDir, 'pglite'), 'source')).toEqual({
      kind: 'pglite',
      dataDir: join(dataDir, 'pglite'),
    });
  });

  it('refuses a path without a store instead of creating an empty one', () => {
    expect(() => parseStoreAddress(join(root, 'typo'), 'source')).toThrow(
      /no embedded store at .*typo/,
    );
  });

  it('refuses the embedded store as a target and unknown schemes', () => {
    expect(() => parseStoreAddress(dataDir, 'target')).toThrow(StoreAddressError);
    expect(() => parseStoreAddress('mysql://db/ugc', 'target')).toThrow(
      /neither postgres:\/\/ nor an EventStoreDB address/,
    );
  });

  it('hides passwords when describing a store', () => {
    expect(
      describeStore({ kind: 'postgres', url: 'postgres://ugc:hunter22@db:5432/ugc' }),
    ).not.toContain('hunter22');
  });

  it('knows two spellings of one database are one store', () => {
    expect(
      sameStore(
        { kind: 'postgres', url: 'postgres://a:x@DB:5432/ugc' },
        { kind: 'postgres', url: 'postgres://b@db:5432/ugc/' },
      ),
    ).toBe(true);
    expect(
      sameStore(
        { kind: 'postgres', url: 'postgres://db:5432/ugc' },
        { kind: 'postgres', url: 'postgres://db:5432/other' },
      ),
    ).toBe(false);
  });
});
