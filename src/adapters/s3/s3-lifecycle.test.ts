import type { LifecycleRule } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../logging/logger.js';
import { StorageIoError } from '../../ports/file-storage/file-storage-errors.js';
import { createS3Client } from './s3-client.js';
import { S3FileStorage } from './s3-file-storage.js';
import {
  ensureLifecycle,
  lifecycleDays,
  mergeLifecycleRules,
  temporaryFilesRule,
  temporaryFilesRuleId,
} from './s3-lifecycle.js';
import { startS3rver, type RunningS3rver } from '../../testing/s3/s3rver-server.js';

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger(
    { level: 'debug' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { log, lines };
}

describe('lifecycleDays', () => {
  it.each([
    [1, 1],
    [24, 1],
    [25, 2],
    [48, 2],
    [24 * 30 + 1, 31],
  ])('%i h → %i day(s)', (hours, days) => {
    expect(lifecycleDays(hours)).toBe(days);
  });

  it('never expires sooner than asked', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), (hours) => {
        const days = lifecycleDays(hours);
        expect(days * 24).toBeGreaterThanOrEqual(hours);
        expect((days - 1) * 24).toBeLessThan(hours);
      }),
    );
  });

  it('refuses a non-positive TTL', () => {
    expect(() => lifecycleDays(0)).toThrow(RangeError);
  });
});

describe('mergeLifecycleRules', () => {
  const foreign: LifecycleRule = {
    ID: 'keep-logs-90d',
    Status: 'Enabled',
    Filter: { Prefix: 'logs/' },
    Expiration: { Days: 90 },
  };

  it('adds our rule next to rules set by others', () => {
    expect(mergeLifecycleRules([foreign], temporaryFilesRule(1))).toEqual([
      foreign,
      temporaryFilesRule(1),
    ]);
  });

  it('replaces an older version of our rule and keeps the others', () => {
    const merged = mergeLifecycleRules([temporaryFilesRule(3), foreign], temporaryFilesRule(1));
    expect(merged).toEqual([foreign, temporaryFilesRule(1)]);
  });

  it('says there is nothing to do when our rule is already in place', () => {
    expect(
      mergeLifecycleRules([foreign, temporaryFilesRule(2)], temporaryFilesRule(2)),
    ).toBeUndefined();
  });

  it('re-enables our rule when someone disabled it', () => {
    const disabled: LifecycleRule = { ...temporaryFilesRule(2), Status: 'Disabled' };
    expect(mergeLifecycleRules([disabled], temporaryFilesRule(2))).toEqual([temporaryFilesRule(2)]);
  });

  it('builds a rule that expires tmp/ after whole days', () => {
    expect(temporaryFilesRule(2)).toEqual({
      ID: temporaryFilesRuleId,
      Status: 'Enabled',
      Filter: { Prefix: 'tmp/' },
      Expiration: { Days: 2 },
    });
  });
});

describe('ensureLifecycle on s3rver', () => {
  let server: RunningS3rver;
  beforeAll(async () => {
    server = await startS3rver('lifecycle-bucket');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('reports that s3rver has no lifecycle API, with a warning, instead of failing', async () => {
    const { log, lines } = capturingLogger();
    const outcome = await ensureLifecycle({
      client: createS3Client(server.connection),
      bucket: server.bucket,
      ttlHours: 24,
      log,
    });
    expect(outcome.kind).toBe('unsupported');
    expect(outcome.kind === 'unsupported' && outcome.reason).toMatch(/^NotImplemented: /);
    const warning = lines.find((line) => line.level === 40);
    expect(warning).toMatchObject({
      stage: 'storage',
      provider: 's3',
      bucket: 'lifecycle-bucket',
      prefix: 'tmp/',
      days: 1,
    });
    expect(String(warning?.msg)).toContain('scheduled cleanup');
  });

  it('is reachable from the storage and fails loudly for a bucket that does not exist', async () => {
    const { log } = capturingLogger();
    const storage = new S3FileStorage({
      client: createS3Client(server.connection),
      bucket: server.bucket,
      logger: log,
    });
    expect((await storage.ensureLifecycle(48)).kind).toBe('unsupported');
    // s3rver checks the bucket before the sub-resource, so a wrong name is not mistaken for
    // "unsupported".
    const error = await ensureLifecycle({
      client: createS3Client(server.connection),
      bucket: 'missing-bucket',
      ttlHours: 24,
      log,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StorageIoError);
    expect((error as Error).cause).toMatchObject({ name: 'NoSuchBucket' });
  });
});
