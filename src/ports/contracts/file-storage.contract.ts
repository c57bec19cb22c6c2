import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentDisposition } from '../file-storage/content-disposition.js';
import {
  InvalidStorageKeyError,
  StorageObjectNotFoundError,
} from '../file-storage/file-storage-errors.js';
import type { FileStorage } from '../file-storage/file-storage.js';

export interface FileStorageUnderTest {
  readonly storage: FileStorage;
  /** Sets the clock the storage issues signed links by; `undefined` returns to the real clock. */
  setClock(ms: number | undefined): void;
  /** The page size `list` asks for, where the implementation pages, so paging gets exercised. */
  readonly listPageSize?: number;
  cleanup(): Promise<void>;
}

/** A clock a storage can be built with and the contract can move. */
export function adjustableClock(): {
  readonly now: () => number;
  set(ms: number | undefined): void;
} {
  let fixed: number | undefined;
  return {
    now: () => fixed ?? Date.now(),
    set(ms) {
      fixed = ms;
    },
  };
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** A stream that does not know its length, in uneven chunks, as an HTTP download would arrive. */
function streamOf(bytes: Buffer, chunk = 64 * 1024 + 7): Readable {
  return Readable.from(
    (function* () {
      for (let at = 0; at < bytes.length; at += chunk) yield bytes.subarray(at, at + chunk);
    })(),
  );
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

/**
 * What every `FileStorage` promises, local disk and S3/R2 alike: the same keys, the same errors,
 * links that open in a browser with the right bytes and names and stop opening when they expire.
 * `name` shows in the test output, so a run says which storages it covered; `skip` says why not.
 */
export function describeFileStorageContract(
  name: string,
  open: () => Promise<FileStorageUnderTest>,
  skip: false | string = false,
): void {
  const title =
    skip === false
      ? `file storage contract: ${name}`
      : `file storage contract: ${name} (SKIPPED: ${skip})`;
  describe.skipIf(skip !== false)(title, () => {
    let subject: FileStorageUnderTest;
    let storage: FileStorage;
    let workDir: string;
    // Every key lives under one run-specific folder, so a shared (real) bucket stays clean.
    const base = `contract-${randomUUID()}`;
    let counter = 0;
    const keyFor = (name: string) => `${base}/${++counter}/${name}`;

    beforeAll(async () => {
      subject = await open();
      storage = subject.storage;
      workDir = await mkdtemp(join(tmpdir(), 'storage-contract-'));
    });
    afterAll(async () => {
      if (storage) for (const { key } of await storage.list(`${base}/`)) await storage.delete(key);
      await subject?.cleanup();
      if (workDir) await rm(workDir, { recursive: true, force: true });
    });

    it('stores a buffer and gives the same bytes back', async () => {
      const key = keyFor('clip.mp4');
      const body = randomBytes(100_000);
      const stored = await storage.put(key, body, 'video/mp4');
      expect(stored).toEqual({ key, sizeBytes: body.length, contentType: 'video/mp4' });
      expect((await readAll(await storage.get(key))).equals(body)).toBe(true);
    });

    it('gives out a plain stream, not a transport object (grammY would take a `url` field for a link)', async () => {
      const key = keyFor('portrait.png');
      await storage.put(key, randomBytes(1000), 'image/png');
      const stream = await storage.get(key);
      expect('url' in stream).toBe(false);
      expect((await readAll(stream)).length).toBe(1000);
    });

    it('stores a stream of unknown length', async () => {
      const key = keyFor('voice.mp3');
      const body = randomBytes(300_001);
      const stored = await storage.put(key, streamOf(body), 'audio/mpeg');
      expect(stored.sizeBytes).toBe(body.length);
      expect((await readAll(await storage.get(key))).equals(body)).toBe(true);
    });

    it('stores an empty object', async () => {
      const key = keyFor('empty.txt');
      expect((await storage.put(key, Buffer.alloc(0), 'text/plain')).sizeBytes).toBe(0);
      expect((await readAll(await storage.get(key))).length).toBe(0);
      expect(await storage.list(key)).toEqual([expect.objectContaining({ key, sizeBytes: 0 })]);
    });

    it('streams ~12 MB (multipart where the storage has it) back byte for byte', async () => {
      const key = keyFor('big.mp4');
      const body = randomBytes(12 * 1024 * 1024 + 12_345);
      const stored = await storage.put(key, streamOf(body), 'video/mp4');
      expect(stored.sizeBytes).toBe(body.length);
      expect(sha256(await readAll(await storage.get(key)))).toBe(sha256(body));
      const local = await storage.toLocalFile(key, join(workDir, 'big-copy.mp4'));
      expect(sha256(await readFile(local))).toBe(sha256(body));
    });

    it('replaces an object put twice, type included', async () => {
      const key = keyFor('result.json');
      await storage.put(key, Buffer.from('{"v":1}'), 'application/json');
      const second = await storage.put(key, Buffer.from('v2 plain'), 'text/plain; charset=utf-8');
      expect(second.contentType).toBe('text/plain; charset=utf-8');
      expect((await readAll(await storage.get(key))).toString()).toBe('v2 plain');
      const response = await fetch(await storage.signedUrl(key, 600));
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    });

    it('types an object by its name when the given type is unusable', async () => {
      const key = keyFor('frame.png');
      const stored = await storage.put(key, Buffer.from('png'), 'image/png\r\nX-Injected: 1');
      expect(stored.contentType).toBe('image/png');
      const response = await fetch(await storage.signedUrl(key, 600));
      expect(response.headers.get('content-type')).toBe('image/png');
      expect(response.headers.get('x-injected')).toBeNull();
    });

    it('copies a local file in and out, replacing the target atomically', async () => {
      const key = keyFor('final.mp4');
      const source = join(workDir, 'source.mp4');
      const body = randomBytes(250_000);
      await writeFile(source, body);
      expect(await storage.putFile(key, source, 'video/mp4')).toEqual({
        key,
        sizeBytes: body.length,
        contentType: 'video/mp4',
      });

      const targetDir = join(workDir, 'out', 'nested');
      const target = join(targetDir, 'copy.mp4');
      expect(await storage.toLocalFile(key, target)).toBe(target);
      expect((await readFile(target)).equals(body)).toBe(true);

      // A second download over an existing file replaces it and leaves nothing else behind.
      await writeFile(target, 'stale');
      await storage.toLocalFile(key, target);
      expect((await readFile(target)).equals(body)).toBe(true);
      expect(await readdir(targetDir)).toEqual(['copy.mp4']);
    });

    it('says whether an object exists and deletes idempotently', async () => {
      const key = keyFor('tmp-upload.wav');
      expect(await storage.exists(key)).toBe(false);
      await storage.put(key, Buffer.from('RIFF'), 'audio/wav');
      expect(await storage.exists(key)).toBe(true);
      await storage.delete(key);
      expect(await storage.exists(key)).toBe(false);
      await expect(storage.delete(key)).resolves.toBeUndefined();
      expect(await storage.list(key)).toEqual([]);
    });

    it('reports a missing object as StorageObjectNotFoundError', async () => {
      const key = keyFor('missing.mp4');
      const fromGet = await rejection(storage.get(key));
      expect(fromGet).toBeInstanceOf(StorageObjectNotFoundError);
      expect((fromGet as StorageObjectNotFoundError).key).toBe(key);

      const target = join(workDir, 'never', 'missing.mp4');
      const fromCopy = await rejection(storage.toLocalFile(key, target));
      expect(fromCopy).toBeInstanceOf(StorageObjectNotFoundError);
      await expect(readFile(target)).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('refuses keys that could escape or that the storages disagree on', async () => {
      for (const bad of [
        '../etc/passwd',
        '/absolute/key',
        'a//b',
        '.hidden/file',
        'spaces are/not allowed',
        '',
      ]) {
        await expect(storage.put(bad, Buffer.from('x'), 'text/plain'), bad).rejects.toBeInstanceOf(
          InvalidStorageKeyError,
        );
        await expect(storage.get(bad), bad).rejects.toBeInstanceOf(InvalidStorageKeyError);
        await expect(storage.exists(bad), bad).rejects.toBeInstanceOf(InvalidStorageKeyError);
        await expect(storage.delete(bad), bad).rejects.toBeInstanceOf(InvalidStorageKeyError);
        await expect(storage.signedUrl(bad, 60), bad).rejects.toBeInstanceOf(
          InvalidStorageKeyError,
        );
      }
      await expect(storage.list('../')).rejects.toBeInstanceOf(InvalidStorageKeyError);
    });

    it('lists by folder and by partial name, sorted, with sizes and times', async () => {
      const folder = `${base}/listing/`;
      const names = ['ab1.txt', 'ab2.txt', 'b.txt', 'sub/ab3.txt'];
      const before = Date.now();
      for (const [index, name] of names.entries())
        await storage.put(`${folder}${name}`, Buffer.alloc(index + 1, 1), 'text/plain');
      const after = Date.now();

      const all = await storage.list(folder);
      expect(all.map((entry) => entry.key)).toEqual(names.map((name) => `${folder}${name}`));
      expect(all.map((entry) => entry.sizeBytes)).toEqual([1, 2, 3, 4]);
      for (const entry of all) {
        // Object stores keep whole seconds; allow for that and a little clock skew.
        expect(entry.modifiedAt.getTime()).toBeGreaterThanOrEqual(before - 5_000);
        expect(entry.modifiedAt.getTime()).toBeLessThanOrEqual(after + 5_000);
      }
      expect((await storage.list(`${folder}ab`)).map((entry) => entry.key)).toEqual([
        `${folder}ab1.txt`,
        `${folder}ab2.txt`,
      ]);
      expect((await storage.list(`${folder}sub/`)).map((entry) => entry.key)).toEqual([
        `${folder}sub/ab3.txt`,
      ]);
      expect(await storage.list(`${folder}nothing-here/`)).toEqual([]);
    });

    it('lists every object when there are more than one page of them', async () => {
      const folder = `${base}/paged/`;
      const count = Math.max(7, (subject.listPageSize ?? 0) * 2 + 1);
      if (subject.listPageSize !== undefined)
        expect(count).toBeGreaterThan(subject.listPageSize * 2);
      const keys = Array.from(
        { length: count },
        (_, index) => `${folder}item-${String(index).padStart(3, '0')}.txt`,
      );
      await Promise.all(keys.map((key) => storage.put(key, Buffer.from(key), 'text/plain')));
      expect((await storage.list(folder)).map((entry) => entry.key)).toEqual(keys);
    });

    it('hands out a link that opens over HTTP with the bytes, type and an inline name', async () => {
      const key = keyFor('final.mp4');
      const body = randomBytes(70_000);
      await storage.put(key, body, 'video/mp4');
      const url = await storage.signedUrl(key, 3600);
      expect(url).toMatch(/^https?:\/\//);
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('video/mp4');
      expect(response.headers.get('content-disposition')).toBe('inline; filename="final.mp4"');
      expect(Buffer.from(await response.arrayBuffer()).equals(body)).toBe(true);
    });

    it('names a download in UTF-8 (RFC 6266/8187) when asked', async () => {
      const key = keyFor('final.mp4');
      await storage.put(key, Buffer.from('video'), 'video/mp4');
      const name = 'Моё видео (1).mp4';
      const response = await fetch(await storage.signedUrl(key, 3600, { downloadName: name }));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-disposition')).toBe(
        contentDisposition('attachment', name),
      );
      expect(response.headers.get('content-disposition')).toContain(
        `filename*=UTF-8''%D0%9C%D0%BE%D1%91`,
      );
      expect(await response.text()).toBe('video');
    });

    it('refuses an expired link', async () => {
      const key = keyFor('old.mp4');
      await storage.put(key, Buffer.from('secret bytes'), 'video/mp4');
      subject.setClock(Date.now() - 3600_000);
      let url: string;
      try {
        url = await storage.signedUrl(key, 60);
      } finally {
        subject.setClock(undefined);
      }
      const response = await fetch(url);
      expect(response.status).toBe(403);
      expect(await response.text()).not.toContain('secret bytes');
    });

    it('answers 404 through a valid link to an object that is gone', async () => {
      const key = keyFor('gone.mp4');
      await storage.put(key, Buffer.from('soon gone'), 'video/mp4');
      const url = await storage.signedUrl(key, 600);
      await storage.delete(key);
      const response = await fetch(url);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('soon gone');
    });
  });
}
