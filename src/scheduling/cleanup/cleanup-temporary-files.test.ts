import { mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LocalFileStorage } from '../../adapters/local/storage/local-file-storage.js';
import { StorageIoError } from '../../ports/file-storage/file-storage-errors.js';
import { createS3Client } from '../../adapters/s3/s3-client.js';
import { S3FileStorage } from '../../adapters/s3/s3-file-storage.js';
import { startS3rver, type RunningS3rver } from '../../testing/s3/s3rver-server.js';
import { createLogger } from '../../logging/logger.js';
import type { FileStorage } from '../../ports/file-storage/file-storage.js';
import { cleanupTemporaryFiles } from './cleanup-temporary-files.js';

const hour = 3600_000;

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger(
    { level: 'debug' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { log, lines };
}

describe('cleanupTemporaryFiles on the local disk', () => {
  let root: string;
  let storage: LocalFileStorage;
  const now = Date.now();

  async function putAged(key: string, bytes: number, ageMs: number): Promise<void> {
    await storage.put(key, Buffer.alloc(bytes, 7), 'application/octet-stream');
    const at = new Date(now - ageMs);
    await utimes(storage.pathOf(key), at, at);
  }

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'cleanup-'));
    storage = new LocalFileStorage({ rootDir: root, logger: createLogger({ level: 'silent' }) });
    await putAged('tmp/u1/voice.mp3', 1000, 30 * hour);
    await putAged('tmp/u1/photo.png', 2000, 25 * hour);
    await putAged('tmp/u2/fresh.wav', 4000, 2 * hour);
    await putAged('generations/g1/final.mp4', 8000, 300 * hour);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('deletes tmp/ files past the TTL, keeps the rest, and reports counts and bytes', async () => {
    const { log, lines } = capturingLogger();
    const report = await cleanupTemporaryFiles({ storage, olderThanMs: 24 * hour, now, log });
    expect(report).toMatchObject({
      scanned: 3,
      expired: 2,
      deleted: 2,
      deletedBytes: 3000,
      failed: 0,
      aborted: false,
    });
    expect((await storage.list('')).map((o) => o.key)).toEqual([
      'generations/g1/final.mp4',
      'tmp/u2/fresh.wav',
    ]);
    expect(lines.at(-1)).toMatchObject({
      stage: 'storage',
      provider: 'local',
      deleted: 2,
      bytes: 3000,
      msg: 'temporary files cleaned up',
    });
    expect(typeof lines.at(-1)?.elapsedMs).toBe('number');

    // A second run finds nothing more to do.
    expect(
      await cleanupTemporaryFiles({ storage, olderThanMs: 24 * hour, now, log }),
    ).toMatchObject({ scanned: 1, deleted: 0, deletedBytes: 0 });
  });

  it('counts a failed deletion, logs it, and still deletes the others', async () => {
    const { log, lines } = capturingLogger();
    // The real storage, except that one object cannot be deleted (a permissions problem, say).
    const flaky: FileStorage = Object.assign(Object.create(storage) as LocalFileStorage, {
      delete: async (key: string) => {
        if (key === 'tmp/u1/photo.png')
          throw new StorageIoError('delete', key, { cause: new Error('EACCES') });
        return storage.delete(key);
      },
    });
    const report = await cleanupTemporaryFiles({
      storage: flaky,
      olderThanMs: 24 * hour,
      now,
      log,
      concurrency: 1,
    });
    expect(report).toMatchObject({ expired: 2, deleted: 1, deletedBytes: 1000, failed: 1 });
    expect(await storage.exists('tmp/u1/photo.png')).toBe(true);
    expect(await storage.exists('tmp/u1/voice.mp3')).toBe(false);
    expect(lines.find((line) => line.level === 40)).toMatchObject({
      key: 'tmp/u1/photo.png',
      msg: 'temporary file could not be deleted',
    });
  });

  it('starts no deletions once aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const report = await cleanupTemporaryFiles({
      storage,
      olderThanMs: 24 * hour,
      now,
      log: capturingLogger().log,
      signal: controller.signal,
    });
    expect(report).toMatchObject({ expired: 2, deleted: 0, aborted: true });
    expect(await storage.exists('tmp/u1/voice.mp3')).toBe(true);
  });
});

describe('cleanupTemporaryFiles on S3 (s3rver)', () => {
  let server: RunningS3rver;
  let storage: S3FileStorage;
  beforeAll(async () => {
    server = await startS3rver('cleanup-bucket');
    storage = new S3FileStorage({
      client: createS3Client(server.connection),
      bucket: server.bucket,
      logger: createLogger({ level: 'silent' }),
      listPageSize: 2,
    });
    for (const key of ['tmp/a.bin', 'tmp/b/c.bin', 'tmp/d.bin', 'generations/g/final.mp4'])
      await storage.put(key, Buffer.alloc(100), 'application/octet-stream');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('keeps objects younger than the TTL, then deletes every expired one across list pages', async () => {
    const { log } = capturingLogger();
    expect(await cleanupTemporaryFiles({ storage, olderThanMs: hour, log })).toMatchObject({
      scanned: 3,
      expired: 0,
      deleted: 0,
    });
    // Two hours on, everything under tmp/ is past a one-hour TTL.
    expect(
      await cleanupTemporaryFiles({ storage, olderThanMs: hour, now: Date.now() + 2 * hour, log }),
    ).toMatchObject({
      scanned: 3,
      deleted: 3,
      deletedBytes: 300,
      failed: 0,
    });
    expect((await storage.list('')).map((o) => o.key)).toEqual(['generations/g/final.mp4']);
  });
});
