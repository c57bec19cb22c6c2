import { createReadStream } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import type { FileStorage, StoredObject } from '../../ports/file-storage/file-storage.js';

/** A FileStorage for tests: a temp directory, with counts of what was written. */
export class TempDirStorage implements FileStorage {
  readonly provider = 'test-temp-dir';
  readonly puts: string[] = [];

  private constructor(readonly root: string) {}

  static async create(): Promise<TempDirStorage> {
    return new TempDirStorage(await mkdtemp(join(tmpdir(), 'pipeline-storage-')));
  }

  private pathOf(key: string): string {
    if (key.split('/').some((part) => part === '..' || part === ''))
      throw new Error(`bad storage key ${key}`);
    return join(this.root, ...key.split('/'));
  }

  async put(key: string, body: Buffer | Readable, contentType: string): Promise<StoredObject> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    if (Buffer.isBuffer(body)) await writeFile(path, body);
    else await pipeline(body, createWriteStream(path));
    this.puts.push(key);
    return { key, sizeBytes: (await stat(path)).size, contentType };
  }

  async putFile(key: string, path: string, contentType: string): Promise<StoredObject> {
    const target = this.pathOf(key);
    await mkdir(dirname(target), { recursive: true });
    await copyFile(path, target);
    this.puts.push(key);
    return { key, sizeBytes: (await stat(target)).size, contentType };
  }

  async get(key: string): Promise<Readable> {
    await stat(this.pathOf(key));
    return createReadStream(this.pathOf(key));
  }

  async toLocalFile(key: string, path: string): Promise<string> {
    await mkdir(dirname(path), { recursive: true });
    await copyFile(this.pathOf(key), path);
    return path;
  }

  async exists(key: string): Promise<boolean> {
    return stat(this.pathOf(key)).then(
      () => true,
      () => false,
    );
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async list(
    prefix: string,
  ): Promise<readonly { key: string; sizeBytes: number; modifiedAt: Date }[]> {
    const entries = await readdir(this.root, { recursive: true, withFileTypes: true });
    const out: { key: string; sizeBytes: number; modifiedAt: Date }[] = [];
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const full = join(entry.parentPath, entry.name);
      const key = relative(this.root, full).split(sep).join('/');
      if (!key.startsWith(prefix)) continue;
      const info = await stat(full);
      out.push({ key, sizeBytes: info.size, modifiedAt: info.mtime });
    }
    return out.sort((a, b) => a.key.localeCompare(b.key));
  }

  async signedUrl(key: string): Promise<string> {
    return `file://${this.pathOf(key)}`;
  }

  async dispose(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}
