import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../logging/logger.js';
import {
  adjustableClock,
  describeFileStorageContract,
} from '../../ports/contracts/file-storage.contract.js';
import {
  StorageIoError,
  StorageObjectNotFoundError,
} from '../../ports/file-storage/file-storage-errors.js';
import { createS3Client } from './s3-client.js';
import { maxSignedUrlTtlSec, S3FileStorage } from './s3-file-storage.js';
import { startS3rver, type RunningS3rver } from '../../testing/s3/s3rver-server.js';

const logger = createLogger({ level: 'silent' });
const listPageSize = 3;

describeFileStorageContract(
  'S3 (s3rver, path-style, 5 MiB parts, 3 keys per list page)',
  async () => {
    const server = await startS3rver('contract-bucket');
    const clock = adjustableClock();
    const storage = new S3FileStorage({
      client: createS3Client(server.connection),
      bucket: server.bucket,
      logger,
      now: clock.now,
      partSizeBytes: 5 * 1024 * 1024,
      listPageSize,
    });
    return { storage, setClock: clock.set, listPageSize, cleanup: () => server.close() };
  },
);

/** Counts the S3 operations a client sends, by command name. */
function countCommands(client: S3Client): Map<string, number> {
  const counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      counts.set(context.commandName ?? '?', (counts.get(context.commandName ?? '?') ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'countCommands' },
  );
  return counts;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('S3FileStorage on s3rver', () => {
  let server: RunningS3rver;
  let workDir: string;

  beforeAll(async () => {
    server = await startS3rver('specifics-bucket');
    workDir = await mkdtemp(join(tmpdir(), 's3-storage-'));
  });
  afterAll(async () => {
    await server?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  function storageWith(options: Partial<ConstructorParameters<typeof S3FileStorage>[0]> = {}) {
    const client = createS3Client(server.connection);
    const counts = countCommands(client);
    const storage = new S3FileStorage({
      client,
      bucket: server.bucket,
      logger,
      retryBaseDelayMs: 1,
      ...options,
    });
    return { storage, counts };
  }

  it('sends a stream longer than a part in parts, and a short one in one PutObject', async () => {
    const { storage, counts } = storageWith({ partSizeBytes: 5 * 1024 * 1024 });
    const big = randomBytes(11 * 1024 * 1024);
    const { Readable } = await import('node:stream');
    await storage.put(
      'videos/big.mp4',
      Readable.from([big.subarray(0, 3_000_000), big.subarray(3_000_000)]),
      'video/mp4',
    );
    expect(counts.get('CreateMultipartUploadCommand')).toBe(1);
    expect(counts.get('UploadPartCommand')).toBe(3);
    expect(counts.get('CompleteMultipartUploadCommand')).toBe(1);
    expect(counts.get('PutObjectCommand')).toBeUndefined();

    await storage.put('videos/small.mp4', Readable.from([Buffer.from('small')]), 'video/mp4');
    expect(counts.get('PutObjectCommand')).toBe(1);
    expect(counts.get('CreateMultipartUploadCommand')).toBe(1);
  });

  it('fails a put whose stream breaks mid-way, aborting the multipart upload and storing nothing', async () => {
    const { storage, counts } = storageWith({ partSizeBytes: 5 * 1024 * 1024 });
    const { Readable } = await import('node:stream');
    const broken = Readable.from(
      (async function* () {
        yield randomBytes(6 * 1024 * 1024);
        yield randomBytes(1024);
        throw new Error('upstream connection lost');
      })(),
    );
    const error = await storage
      .put('broken/clip.mp4', broken, 'video/mp4')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StorageIoError);
    expect(String((error as Error).cause)).toContain('upstream connection lost');
    expect(counts.get('CreateMultipartUploadCommand')).toBe(1);
    // Asked for; s3rver answers MethodNotAllowed (it has no AbortMultipartUpload), R2 and S3 abort.
    expect(counts.get('AbortMultipartUploadCommand')).toBe(1);
    expect(counts.get('CompleteMultipartUploadCommand')).toBeUndefined();
    expect(await storage.exists('broken/clip.mp4')).toBe(false);
    expect(broken.destroyed).toBe(true);
  });

  it('putFile streams small files in one PutObject and larger ones in parts, both intact', async () => {
    const { storage, counts } = storageWith({
      partSizeBytes: 5 * 1024 * 1024,
      multipartThresholdBytes: 6 * 1024 * 1024,
    });
    const small = randomBytes(2 * 1024 * 1024);
    const large = randomBytes(7 * 1024 * 1024 + 1);
    await writeFile(join(workDir, 'small.bin'), small);
    await writeFile(join(workDir, 'large.bin'), large);

    expect(
      (
        await storage.putFile(
          'files/small.bin',
          join(workDir, 'small.bin'),
          'application/octet-stream',
        )
      ).sizeBytes,
    ).toBe(small.length);
    expect(counts.get('PutObjectCommand')).toBe(1);
    expect(counts.get('CreateMultipartUploadCommand')).toBeUndefined();

    expect(
      (
        await storage.putFile(
          'files/large.bin',
          join(workDir, 'large.bin'),
          'application/octet-stream',
        )
      ).sizeBytes,
    ).toBe(large.length);
    expect(counts.get('CreateMultipartUploadCommand')).toBe(1);
    expect(counts.get('UploadPartCommand')).toBe(2);

    // A streamed PutObject is exactly what the checksum trap corrupted; compare the bytes.
    expect(
      sha256(
        await readFile(
          await storage.toLocalFile('files/small.bin', join(workDir, 'small-back.bin')),
        ),
      ),
    ).toBe(sha256(small));
    expect(
      sha256(
        await readFile(
          await storage.toLocalFile('files/large.bin', join(workDir, 'large-back.bin')),
        ),
      ),
    ).toBe(sha256(large));
  });

  it('pages through ListObjectsV2 with continuation tokens', async () => {
    const { storage, counts } = storageWith({ listPageSize: 2 });
    for (const name of ['a', 'b', 'c', 'd', 'e'])
      await storage.put(`paging/${name}.txt`, Buffer.from(name), 'text/plain');
    expect((await storage.list('paging/')).map((entry) => entry.key)).toEqual(
      ['a', 'b', 'c', 'd', 'e'].map((name) => `paging/${name}.txt`),
    );
    expect(counts.get('ListObjectsV2Command')).toBe(3);
  });

  it('signs links with the response headers and cuts lifetimes to seven days', async () => {
    const { storage } = storageWith();
    await storage.put('links/ad.mp4', Buffer.from('ad'), 'video/mp4');
    const url = new URL(
      await storage.signedUrl('links/ad.mp4', 30 * 24 * 3600, { downloadName: 'Реклама.mp4' }),
    );
    expect(url.searchParams.get('X-Amz-Expires')).toBe(String(maxSignedUrlTtlSec));
    expect(url.searchParams.get('response-content-disposition')).toBe(
      `attachment; filename="_.mp4"; filename*=UTF-8''%D0%A0%D0%B5%D0%BA%D0%BB%D0%B0%D0%BC%D0%B0.mp4`,
    );
    // WHEN_REQUIRED keeps checksum parameters (the CRC of an empty body) out of links.
    expect([...url.searchParams.keys()].filter((name) => /checksum/i.test(name))).toEqual([]);
    expect((await fetch(url)).status).toBe(200);
    await expect(storage.signedUrl('links/ad.mp4', 0)).rejects.toBeInstanceOf(RangeError);
  });

  it('wraps SDK failures in the storage errors, with the SDK error as cause', async () => {
    const missingBucket = new S3FileStorage({
      client: createS3Client(server.connection),
      bucket: 'no-such-bucket',
      logger,
    });
    const error = await missingBucket
      .put('a/b.txt', Buffer.from('x'), 'text/plain')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StorageIoError);
    expect((error as StorageIoError).operation).toBe('put');
    expect((error as Error).cause).toMatchObject({ name: 'NoSuchBucket' });
    // HeadObject answers a bare 404 for a missing bucket too, so `exists` cannot tell it apart.
    expect(await missingBucket.exists('a/b.txt')).toBe(false);
    await expect(missingBucket.list('a/')).rejects.toBeInstanceOf(StorageIoError);

    const wrongKeys = new S3FileStorage({
      client: createS3Client({ ...server.connection, accessKeyId: 'UNKNOWN-KEY' }),
      bucket: server.bucket,
      logger,
    });
    await storageWith().storage.put('a/present.txt', Buffer.from('x'), 'text/plain');
    const denied = await wrongKeys.get('a/present.txt').catch((caught: unknown) => caught);
    expect(denied).toBeInstanceOf(StorageIoError);
    expect(denied).not.toBeInstanceOf(StorageObjectNotFoundError);
    expect((denied as Error).cause).toMatchObject({ name: 'InvalidAccessKeyId' });
  });

  it('retries a file upload after a connection failure by reopening the file', async () => {
    const { storage, counts } = storageWith({ maxAttempts: 3 });
    const client = (storage as unknown as { client: S3Client }).client;
    let failures = 1;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutObjectCommand' && failures > 0) {
          failures -= 1;
          throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        }
        return next(args);
      },
      { step: 'finalizeRequest', name: 'failOnce' },
    );
    const body = randomBytes(100_000);
    await writeFile(join(workDir, 'retry.bin'), body);
    await storage.putFile('retry/file.bin', join(workDir, 'retry.bin'), 'application/octet-stream');
    expect(counts.get('PutObjectCommand')).toBe(2);
    expect(
      sha256(
        await readFile(
          await storage.toLocalFile('retry/file.bin', join(workDir, 'retry-back.bin')),
        ),
      ),
    ).toBe(sha256(body));
  });

  it('restarts a download that breaks mid-way and leaves no partial file behind', async () => {
    const { storage, counts } = storageWith({ maxAttempts: 3 });
    const body = randomBytes(300_000);
    await storage.put('retry/download.bin', body, 'application/octet-stream');
    const client = (storage as unknown as { client: S3Client }).client;
    let breaks = 1;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName === 'GetObjectCommand' && breaks > 0) {
          breaks -= 1;
          const output = result.output as { Body: import('node:stream').Readable };
          const original = output.Body;
          const { Readable } = await import('node:stream');
          output.Body = Readable.from(
            (async function* () {
              yield body.subarray(0, 1000);
              original.destroy();
              throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
            })(),
          );
        }
        return result;
      },
      { step: 'initialize', name: 'breakDownloadOnce' },
    );
    const targetDir = join(workDir, 'download-retry');
    const target = await storage.toLocalFile('retry/download.bin', join(targetDir, 'file.bin'));
    expect(counts.get('GetObjectCommand')).toBe(2);
    expect(sha256(await readFile(target))).toBe(sha256(body));
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(targetDir)).toEqual(['file.bin']);
  });

  it('reports an unreadable source file as StorageIoError without calling S3', async () => {
    const { storage, counts } = storageWith();
    await expect(
      storage.putFile('x/y.bin', join(workDir, 'does-not-exist.bin'), 'application/octet-stream'),
    ).rejects.toBeInstanceOf(StorageIoError);
    expect(counts.size).toBe(0);
  });
});
