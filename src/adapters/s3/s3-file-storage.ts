import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline as pipelineCallback, Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { z } from 'zod';
import type { Logger } from '../../logging/logger.js';
import { createLogger } from '../../logging/logger.js';
import type { FileStorage, StoredObject } from '../../ports/file-storage/file-storage.js';
import { contentDisposition, safeFileName } from '../../ports/file-storage/content-disposition.js';
import { contentTypeForName, isValidContentType } from '../../ports/file-storage/content-types.js';
import { StorageIoError } from '../../ports/file-storage/file-storage-errors.js';
import { assertStorageKey, assertStoragePrefix } from '../../ports/file-storage/storage-key.js';
import { createProviderPolicy, type ProviderPolicy } from '../provider-calls/index.js';
import { asProviderError, isMissingObject, s3Provider, toStorageError } from './s3-errors.js';
import { ensureLifecycle, type LifecycleOutcome } from './s3-lifecycle.js';

export interface S3FileStorageOptions {
  readonly client: S3Client;
  /**
   * Signs download links only (no request is sent through it): a client for the endpoint users
   * reach when the service talks to the store on a private address. Default: `client`.
   */
  readonly presignClient?: S3Client;
  readonly bucket: string;
  readonly logger?: Logger;
  /** The clock signed links are issued by, in milliseconds (tests move it). */
  readonly now?: () => number;
  /** Multipart part size; S3 refuses parts under 5 MiB (except the last). Default 8 MiB. */
  readonly partSizeBytes?: number;
  /** Parts uploaded at once; memory use is about `queueSize × partSizeBytes`. Default 2. */
  readonly queueSize?: number;
  /**
   * `putFile` sends files up to this size in one PutObject, larger ones in parts. Default 16 MiB.
   */
  readonly multipartThresholdBytes?: number;
  /** Keys per ListObjectsV2 page (1–1000); smaller only to exercise pagination. Default 1000. */
  readonly listPageSize?: number;
  /**
   * Attempts for uploads and downloads that we can restart from a file (the SDK cannot). Default 3.
   */
  readonly maxAttempts?: number;
  readonly retryBaseDelayMs?: number;
}

export const minPartSizeBytes = 5 * 1024 * 1024;
/** What a caller gets when it has no better idea: a day, as download links promise users. */
export const defaultSignedUrlTtlSec = 24 * 3600;
/** SigV4 presigned URLs cannot live longer than seven days. */
export const maxSignedUrlTtlSec = 7 * 24 * 3600;

const listPageSchema = z.object({
  Contents: z
    .array(
      z.object({
        Key: z.string().min(1),
        Size: z.number().int().nonnegative(),
        LastModified: z.date(),
      }),
    )
    .optional(),
  IsTruncated: z.boolean().optional(),
  NextContinuationToken: z.string().min(1).optional(),
});

/**
 * `FileStorage` on S3-compatible object storage (Cloudflare R2 in production, s3rver in tests).
 * Keys follow the local storage's rules, so a key that works on one works on the other; errors
 * are the local storage's types (`StorageObjectNotFoundError`, `StorageIoError` with the SDK
 * error as cause) so callers handle both the same way.
 */
export class S3FileStorage implements FileStorage {
  readonly provider = s3Provider;
  readonly bucket: string;
  private readonly client: S3Client;
  private readonly presignClient: S3Client;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly partSize: number;
  private readonly queueSize: number;
  private readonly multipartThreshold: number;
  private readonly listPageSize: number;
  private readonly policy: ProviderPolicy;

  constructor(options: S3FileStorageOptions) {
    this.client = options.client;
    this.presignClient = options.presignClient ?? options.client;
    this.bucket = options.bucket;
    this.logger = options.logger ?? createLogger();
    this.now = options.now ?? Date.now;
    this.partSize = Math.max(minPartSizeBytes, options.partSizeBytes ?? 8 * 1024 * 1024);
    this.queueSize = Math.max(1, options.queueSize ?? 2);
    this.multipartThreshold = options.multipartThresholdBytes ?? 16 * 1024 * 1024;
    this.listPageSize = Math.min(1000, Math.max(1, options.listPageSize ?? 1000));
    this.policy = createProviderPolicy({
      provider: s3Provider,
      log: this.logger,
      maxAttempts: options.maxAttempts ?? 3,
      baseDelayMs: options.retryBaseDelayMs ?? 250,
    });
  }

  async put(key: string, body: Buffer | Readable, contentType: string): Promise<StoredObject> {
    assertStorageKey(key);
    const type = checkedContentType(key, contentType);
    const startedAt = performance.now();
    if (Buffer.isBuffer(body)) {
      // A buffer can be resent, so the SDK's own retries cover it.
      await this.send('put', key, () =>
        this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: key,
            Body: body,
            ContentType: type,
            ContentLength: body.length,
          }),
        ),
      );
      this.logStored('put', key, body.length, startedAt, false);
      return { key, sizeBytes: body.length, contentType: type };
    }
    // A stream of unknown length: PutObject needs a length up front, so Upload cuts it into
    // buffered parts (one PutObject when it turns out smaller than a part). It cannot be retried
    // as a whole, since the stream is consumed, but each buffered part is retried by the SDK.
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        callback(null, chunk);
      },
    });
    // A failing source fails the upload (which then aborts its multipart upload), and a failed
    // upload releases the caller's stream: nothing else will read the rest of it.
    let sourceError: Error | undefined;
    pipelineCallback(body, counter, (error) => {
      if (error) sourceError = error;
    });
    try {
      await this.upload(key, counter, type);
    } catch (error) {
      counter.destroy();
      // When the source broke, that is the story; a failure to abort the multipart upload after it
      // (s3rver cannot) would otherwise replace it.
      if (sourceError && sourceError !== error) {
        this.logger.warn(
          { stage: 'storage', provider: this.provider, key, err: error },
          'cleaning up after a broken upload stream failed',
        );
        throw new StorageIoError('put', key, { cause: sourceError, provider: s3Provider });
      }
      throw toStorageError('put', key, error);
    }
    this.logStored('put', key, bytes, startedAt, bytes > this.partSize);
    return { key, sizeBytes: bytes, contentType: type };
  }

  async putFile(key: string, path: string, contentType: string): Promise<StoredObject> {
    assertStorageKey(key);
    const type = checkedContentType(key, contentType);
    const startedAt = performance.now();
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch (error) {
      throw new StorageIoError('putFile', key, { cause: error, provider: s3Provider });
    }
    const multipart = size > this.multipartThreshold;
    // The SDK does not retry streamed bodies; a file can be reopened, so we retry here.
    await this.send('putFile', key, () =>
      this.policy.execute(async () => {
        try {
          const file = createReadStream(path);
          if (multipart) await this.upload(key, file, type);
          else
            await this.client.send(
              new PutObjectCommand({
                Bucket: this.bucket,
                Key: key,
                Body: file,
                ContentType: type,
                ContentLength: size,
              }),
            );
        } catch (error) {
          throw asProviderError(error);
        }
      }),
    );
    this.logStored('putFile', key, size, startedAt, multipart);
    return { key, sizeBytes: size, contentType: type };
  }

  async get(key: string): Promise<Readable> {
    assertStorageKey(key);
    const response = await this.send('get', key, () =>
      this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key })),
    );
    if (!(response.Body instanceof Readable))
      throw new StorageIoError('get', key, {
        cause: new TypeError('GetObject returned no Node.js stream'),
        provider: s3Provider,
      });
    // The SDK's body is the raw IncomingMessage, whose `url` field makes consumers such as grammY's
    // InputFile mistake it for a link to fetch; hand out a plain stream of the same bytes instead.
    return Readable.from(response.Body, { objectMode: false });
  }

  /**
   * Downloads into a hidden file next to `path` and renames it into place, so a reader of `path`
   * never sees half a file; an interrupted download is restarted from the beginning.
   */
  async toLocalFile(key: string, path: string): Promise<string> {
    assertStorageKey(key);
    const target = resolve(path);
    const startedAt = performance.now();
    let bytes = 0;
    await this.send('toLocalFile', key, () =>
      this.policy.execute(async () => {
        const temporary = join(
          dirname(target),
          `.${basename(target)}.part-${process.pid}-${randomBytes(6).toString('hex')}`,
        );
        try {
          await mkdir(dirname(target), { recursive: true });
          const response = await this.client.send(
            new GetObjectCommand({ Bucket: this.bucket, Key: key }),
          );
          if (!(response.Body instanceof Readable))
            throw new TypeError('GetObject returned no Node.js stream');
          await pipeline(response.Body, createWriteStream(temporary, { flags: 'wx' }));
          bytes = (await stat(temporary)).size;
          if (response.ContentLength !== undefined && response.ContentLength !== bytes) {
            throw Object.assign(
              new Error(`download truncated: ${bytes} of ${response.ContentLength} bytes`),
              { code: 'ERR_STREAM_PREMATURE_CLOSE' },
            );
          }
          await rename(temporary, target);
        } catch (error) {
          await rm(temporary, { force: true });
          throw asProviderError(error);
        }
      }),
    );
    this.logger.debug(
      {
        stage: 'storage',
        provider: this.provider,
        key,
        bytes,
        elapsedMs: Math.round(performance.now() - startedAt),
      },
      'file downloaded',
    );
    return target;
  }

  async exists(key: string): Promise<boolean> {
    assertStorageKey(key);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (isMissingObject(error)) return false;
      throw toStorageError('exists', key, error);
    }
  }

  /** Deleting what is not there succeeds (S3 answers 204 either way): cleanup jobs may race. */
  async delete(key: string): Promise<void> {
    assertStorageKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      if (isMissingObject(error)) return;
      throw toStorageError('delete', key, error);
    }
    this.logger.debug({ stage: 'storage', provider: this.provider, key }, 'file deleted');
  }

  async list(
    prefix: string,
  ): Promise<readonly { key: string; sizeBytes: number; modifiedAt: Date }[]> {
    assertStoragePrefix(prefix);
    const found: { key: string; sizeBytes: number; modifiedAt: Date }[] = [];
    let skipped = 0;
    let token: string | undefined;
    do {
      const response = await this.send('list', prefix, () =>
        this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: prefix,
            MaxKeys: this.listPageSize,
            ...(token ? { ContinuationToken: token } : {}),
          }),
        ),
      );
      const page = listPageSchema.safeParse(response);
      if (!page.success)
        throw new StorageIoError('list', prefix, { cause: page.error, provider: s3Provider });
      for (const item of page.data.Contents ?? []) {
        // Objects put into the bucket by other means may carry names our keys never have; the
        // rest of the system could not address them, so they are not listed.
        if (!isStorageKey(item.Key)) {
          skipped += 1;
          continue;
        }
        found.push({ key: item.Key, sizeBytes: item.Size, modifiedAt: item.LastModified });
      }
      if (page.data.IsTruncated && !page.data.NextContinuationToken) {
        throw new StorageIoError('list', prefix, {
          cause: new Error('truncated listing without a continuation token'),
          provider: s3Provider,
        });
      }
      token = page.data.IsTruncated ? page.data.NextContinuationToken : undefined;
    } while (token);
    if (skipped > 0)
      this.logger.warn(
        { stage: 'storage', provider: this.provider, prefix, skipped },
        'objects with foreign key names left out of the listing',
      );
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /**
   * A presigned GET. The name the browser saves under travels as `response-content-disposition`,
   * signed with the rest, so one object can be handed out under different names. Links longer
   * than SigV4 allows are cut to seven days rather than refused.
   */
  async signedUrl(
    key: string,
    ttlSec: number,
    options: { downloadName?: string } = {},
  ): Promise<string> {
    assertStorageKey(key);
    if (!Number.isFinite(ttlSec) || ttlSec <= 0)
      throw new RangeError(`ttlSec must be positive, got ${ttlSec}`);
    let expiresIn = Math.ceil(ttlSec);
    if (expiresIn > maxSignedUrlTtlSec) {
      this.logger.warn(
        {
          stage: 'storage',
          provider: this.provider,
          key,
          askedSec: expiresIn,
          givenSec: maxSignedUrlTtlSec,
        },
        'signed URL lifetime cut to the S3 maximum',
      );
      expiresIn = maxSignedUrlTtlSec;
    }
    const name =
      options.downloadName === undefined
        ? undefined
        : safeFileName(options.downloadName) || undefined;
    const disposition =
      name !== undefined
        ? contentDisposition('attachment', name)
        : contentDisposition('inline', basename(key));
    return this.send('signedUrl', key, () =>
      getSignedUrl(
        this.presignClient,
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          ResponseContentDisposition: disposition,
        }),
        {
          expiresIn,
          signingDate: new Date(this.now()),
        },
      ),
    );
  }

  /**
   * Has the bucket expire `tmp/` objects after `ttlHours` (rounded up to days); see
   * `ensureLifecycle`.
   */
  ensureLifecycle(ttlHours: number): Promise<LifecycleOutcome> {
    return ensureLifecycle({
      client: this.client,
      bucket: this.bucket,
      ttlHours,
      log: this.logger,
    });
  }

  private upload(key: string, body: Readable, contentType: string): Promise<unknown> {
    return new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: body, ContentType: contentType },
      partSize: this.partSize,
      queueSize: this.queueSize,
      // A failed upload aborts its multipart upload, so no orphaned parts are billed.
      leavePartsOnError: false,
    }).done();
  }

  private async send<T>(operation: string, key: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw toStorageError(operation, key, error);
    }
  }

  private logStored(
    operation: string,
    key: string,
    bytes: number,
    startedAt: number,
    multipart: boolean,
  ): void {
    this.logger.debug(
      {
        stage: 'storage',
        provider: this.provider,
        operation,
        key,
        bytes,
        multipart,
        elapsedMs: Math.round(performance.now() - startedAt),
      },
      'file stored',
    );
  }
}

function checkedContentType(key: string, contentType: string): string {
  const trimmed = contentType.trim();
  return isValidContentType(trimmed) ? trimmed : contentTypeForName(key);
}

function isStorageKey(key: string): boolean {
  try {
    assertStorageKey(key);
    return true;
  } catch {
    return false;
  }
}
