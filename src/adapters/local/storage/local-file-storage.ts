import { randomBytes } from 'node:crypto';
import { constants, createReadStream, createWriteStream } from 'node:fs';
import {
  copyFile,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  rmdir,
  stat,
  writeFile,
} from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import type { Logger } from '../../../logging/logger.js';
import { createLogger } from '../../../logging/logger.js';
import type { FileStorage, StoredObject } from '../../../ports/file-storage/file-storage.js';
import { safeFileName } from '../../../ports/file-storage/content-disposition.js';
import {
  contentTypeForName,
  isValidContentType,
} from '../../../ports/file-storage/content-types.js';
import { signDownloadToken, verifyDownloadToken, type DownloadGrant } from './download-token.js';
import { loadOrCreateSigningSecret, secretFromConfig } from './signing-secret.js';
import {
  InvalidStorageKeyError,
  StorageIoError,
  StorageObjectNotFoundError,
} from '../../../ports/file-storage/file-storage-errors.js';
import {
  assertStoragePrefix,
  storageKeySegments,
} from '../../../ports/file-storage/storage-key.js';

export interface LocalFileStorageOptions {
  /** Where the files live; default `./data/files`. */
  readonly rootDir?: string;
  /**
   * The address the download route is reachable at from outside, e.g. `https://bot.example.com`.
   */
  readonly publicBaseUrl?: string;
  /**
   * The path the download route is mounted at (must match `registerFileDownloads`); default
   * `/files`.
   */
  readonly downloadPath?: string;
  /** `LINK_SIGNING_SECRET`; without one a secret is generated and kept in `rootDir`. */
  readonly signingSecret?: string | Buffer;
  readonly logger?: Logger;
  /** The clock links expire by, in milliseconds (tests move it). */
  readonly now?: () => number;
}

export interface StoredFileInfo extends StoredObject {
  readonly modifiedAt: Date;
}

/** Inclusive byte positions, as in an HTTP `Range`. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export const localStorageProvider = 'local';

const metadataSchema = z.object({ contentType: z.string() });
const maxTtlSec = 366 * 24 * 3600;

/**
 * `FileStorage` on the local disk. Every write goes to a temporary dot-file next to its target
 * and is renamed into place, so readers see the old file or the new one, never half of one.
 * The content type given to `put` is kept in a hidden sidecar (object stores keep it as object
 * metadata); files without one are typed by their extension.
 */
export class LocalFileStorage implements FileStorage {
  readonly provider = localStorageProvider;
  readonly rootDir: string;
  private readonly publicBaseUrl: string;
  private readonly downloadPath: string;
  private readonly logger: Logger;
  private readonly now: () => number;
  private secret: Promise<Buffer> | undefined;

  constructor(private readonly options: LocalFileStorageOptions = {}) {
    this.rootDir = resolve(options.rootDir ?? './data/files');
    this.publicBaseUrl = (options.publicBaseUrl ?? 'http://localhost:8080').replace(/\/+$/, '');
    this.downloadPath = `/${(options.downloadPath ?? '/files').replace(/^\/+|\/+$/g, '')}`;
    this.logger = options.logger ?? createLogger();
    this.now = options.now ?? Date.now;
    if (options.signingSecret !== undefined)
      this.secret = Promise.resolve(secretFromConfig(options.signingSecret));
  }

  async put(key: string, body: Buffer | Readable, contentType: string): Promise<StoredObject> {
    const path = this.pathOf(key);
    const type = checkedContentType(key, contentType);
    await this.writeAtomically('put', key, path, type, async (temporary) => {
      if (Buffer.isBuffer(body)) await writeFile(temporary, body, { flag: 'wx' });
      else await pipeline(body, createWriteStream(temporary, { flags: 'wx' }));
    });
    return this.stored(key, path, type);
  }

  async putFile(key: string, sourcePath: string, contentType: string): Promise<StoredObject> {
    const path = this.pathOf(key);
    const type = checkedContentType(key, contentType);
    // FICLONE: a copy-on-write clone where the filesystem can, an ordinary copy elsewhere.
    await this.writeAtomically('putFile', key, path, type, (temporary) =>
      copyFile(sourcePath, temporary, constants.COPYFILE_FICLONE),
    );
    return this.stored(key, path, type);
  }

  async get(key: string): Promise<Readable> {
    return this.openRead(key);
  }

  /** Streams the object or one byte range of it (the download route's `Range` support). */
  async openRead(key: string, range?: ByteRange): Promise<Readable> {
    const path = this.pathOf(key);
    // Open before returning, so a missing file is this call's error rather than a stream event.
    const stream = createReadStream(path, range ? { start: range.start, end: range.end } : {});
    await new Promise<void>((resolveOpen, reject) => {
      stream.once('open', () => resolveOpen());
      stream.once('error', (error: NodeJS.ErrnoException) =>
        reject(this.ioError('get', key, error)),
      );
    });
    return stream;
  }

  /**
   * Copies the object to `path`. Local storage could hand out its own file, but callers treat
   * the result as theirs (they write next to it and delete it), so they get a copy, cloned where
   * the filesystem supports it.
   */
  async toLocalFile(key: string, path: string): Promise<string> {
    const source = this.pathOf(key);
    const target = resolve(path);
    if (target === source) return target;
    try {
      await mkdir(dirname(target), { recursive: true });
      await copyFile(source, target, constants.COPYFILE_FICLONE);
    } catch (error) {
      throw this.ioError('toLocalFile', key, error);
    }
    return target;
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== undefined;
  }

  /** Size, type and age of an object, or undefined when there is none. */
  async stat(key: string): Promise<StoredFileInfo | undefined> {
    const path = this.pathOf(key);
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw this.ioError('stat', key, error);
    }
    if (!info.isFile()) return undefined;
    return {
      key,
      sizeBytes: info.size,
      contentType: await this.contentTypeOf(key, path),
      modifiedAt: info.mtime,
    };
  }

  /** Deleting what is not there succeeds: cleanup jobs may race each other. */
  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    try {
      await rm(path, { force: true });
      await rm(metadataPath(path), { force: true });
    } catch (error) {
      throw this.ioError('delete', key, error);
    }
    await this.pruneEmptyFolders(dirname(path));
    this.logger.debug({ stage: 'storage', provider: this.provider, key }, 'file deleted');
  }

  async list(
    prefix: string,
  ): Promise<readonly { key: string; sizeBytes: number; modifiedAt: Date }[]> {
    assertStoragePrefix(prefix);
    const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const found: { key: string; sizeBytes: number; modifiedAt: Date }[] = [];
    const walk = async (relative: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(
          relative === '' ? this.rootDir : join(this.rootDir, ...relative.split('/')),
          { withFileTypes: true },
        );
      } catch (error) {
        if (isMissing(error) || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return;
        throw this.ioError('list', prefix, error);
      }
      for (const entry of entries) {
        if (entry.name.startsWith('.')) continue;
        const key = relative === '' ? entry.name : `${relative}/${entry.name}`;
        if (entry.isDirectory()) {
          // Only descend where keys with this prefix can be.
          if (`${key}/`.startsWith(prefix) || prefix.startsWith(`${key}/`)) await walk(key);
        } else if (entry.isFile() && key.startsWith(prefix)) {
          const info = await stat(join(this.rootDir, ...key.split('/'))).catch(() => undefined);
          if (info) found.push({ key, sizeBytes: info.size, modifiedAt: info.mtime });
        }
      }
    };
    await walk(folder);
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async signedUrl(
    key: string,
    ttlSec: number,
    options: { downloadName?: string } = {},
  ): Promise<string> {
    storageKeySegments(key);
    if (!Number.isFinite(ttlSec) || ttlSec <= 0 || ttlSec > maxTtlSec)
      throw new RangeError(`ttlSec must be between 1 and ${maxTtlSec}`);
    const name =
      options.downloadName === undefined
        ? undefined
        : safeFileName(options.downloadName) || undefined;
    const expiresAt = Math.floor(this.now() / 1000) + Math.ceil(ttlSec);
    const token = signDownloadToken(
      { key, expiresAt, ...(name ? { downloadName: name } : {}) },
      await this.signingSecret(),
    );
    return `${this.publicBaseUrl}${this.downloadPath}/${token}`;
  }

  /**
   * Checks a link's token; throws `InvalidDownloadTokenError` for forged, altered or expired ones.
   */
  async verifyDownload(token: string): Promise<DownloadGrant> {
    return verifyDownloadToken(token, await this.signingSecret(), Math.floor(this.now() / 1000));
  }

  /** The absolute path an object lives at; for callers that can read files in place. */
  pathOf(key: string): string {
    const path = join(this.rootDir, ...storageKeySegments(key));
    // The key checks already rule this out; this is the belt to their braces.
    if (!path.startsWith(this.rootDir + sep))
      throw new InvalidStorageKeyError(key, 'resolves outside the storage root');
    return path;
  }

  private signingSecret(): Promise<Buffer> {
    this.secret ??= loadOrCreateSigningSecret(this.rootDir);
    this.secret.catch(() => {
      this.secret = undefined;
    });
    return this.secret;
  }

  private async writeAtomically(
    operation: string,
    key: string,
    path: string,
    contentType: string,
    write: (temporary: string) => Promise<unknown>,
  ): Promise<void> {
    const startedAt = performance.now();
    const folder = dirname(path);
    const suffix = `${process.pid}-${randomBytes(6).toString('hex')}`;
    const temporary = join(folder, `.${basenameOf(path)}.tmp-${suffix}`);
    const temporaryMetadata = join(folder, `.${basenameOf(path)}.meta-${suffix}`);
    try {
      await mkdir(folder, { recursive: true });
      await write(temporary);
      await writeFile(temporaryMetadata, JSON.stringify({ contentType }), { flag: 'wx' });
      // Metadata first: a crash between the renames leaves the old file with the new type at
      // worst, never a file whose type is missing.
      await rename(temporaryMetadata, metadataPath(path));
      await rename(temporary, path);
    } catch (error) {
      await Promise.all([rm(temporary, { force: true }), rm(temporaryMetadata, { force: true })]);
      throw this.ioError(operation, key, error);
    }
    this.logger.debug(
      {
        stage: 'storage',
        provider: this.provider,
        key,
        operation,
        durationMs: Math.round(performance.now() - startedAt),
      },
      'file stored',
    );
  }

  private async stored(key: string, path: string, contentType: string): Promise<StoredObject> {
    const { size } = await stat(path);
    return { key, sizeBytes: size, contentType };
  }

  private async contentTypeOf(key: string, path: string): Promise<string> {
    try {
      const parsed = metadataSchema.safeParse(
        JSON.parse(await readFile(metadataPath(path), 'utf8')),
      );
      if (parsed.success && isValidContentType(parsed.data.contentType))
        return parsed.data.contentType;
    } catch {
      // No sidecar (a file put there by hand) or an unreadable one: the extension decides.
    }
    return contentTypeForName(key);
  }

  /** Removes folders a delete left empty, up to the root, so cleanup leaves no husks behind. */
  private async pruneEmptyFolders(folder: string): Promise<void> {
    let current = folder;
    while (current.startsWith(this.rootDir + sep)) {
      try {
        await rmdir(current);
      } catch {
        return; // not empty, or already gone, or in use: all fine
      }
      current = dirname(current);
    }
  }

  private ioError(operation: string, key: string, error: unknown): Error {
    if (
      error instanceof StorageIoError ||
      error instanceof StorageObjectNotFoundError ||
      error instanceof InvalidStorageKeyError
    )
      return error;
    if (isMissing(error) || (error as NodeJS.ErrnoException).code === 'EISDIR')
      return new StorageObjectNotFoundError(key, { cause: error });
    return new StorageIoError(operation, key, { cause: error });
  }
}

function checkedContentType(key: string, contentType: string): string {
  const trimmed = contentType.trim();
  return isValidContentType(trimmed) ? trimmed : contentTypeForName(key);
}

function metadataPath(path: string): string {
  return join(dirname(path), `.${basenameOf(path)}.meta.json`);
}

function basenameOf(path: string): string {
  return path.slice(path.lastIndexOf(sep) + 1);
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
