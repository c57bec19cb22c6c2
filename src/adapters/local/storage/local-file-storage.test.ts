import { mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../logging/logger.js';
import { LocalFileStorage } from './local-file-storage.js';
import { signingSecretFileName } from './signing-secret.js';
import {
  InvalidDownloadTokenError,
  InvalidStorageKeyError,
  StorageObjectNotFoundError,
} from '../../../ports/file-storage/file-storage-errors.js';

const logger = createLogger({ level: 'silent' });
let root: string;
let storage: LocalFileStorage;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'local-storage-'));
  storage = new LocalFileStorage({
    rootDir: root,
    publicBaseUrl: 'https://bot.example.com/',
    logger,
  });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('LocalFileStorage', () => {
  it('round-trips buffers and streams with their content type', async () => {
    const stored = await storage.put(
      'generations/g1/final.mp4',
      Buffer.from('video bytes'),
      'video/mp4',
    );
    expect(stored).toEqual({
      key: 'generations/g1/final.mp4',
      sizeBytes: 11,
      contentType: 'video/mp4',
    });
    expect(await text(await storage.get('generations/g1/final.mp4'))).toBe('video bytes');

    await storage.put(
      'tmp/upload.bin',
      Readable.from([Buffer.from('chunk one, '), Buffer.from('chunk two')]),
      'application/octet-stream',
    );
    expect(await text(await storage.get('tmp/upload.bin'))).toBe('chunk one, chunk two');
    expect(await storage.stat('tmp/upload.bin')).toMatchObject({
      sizeBytes: 20,
      contentType: 'application/octet-stream',
    });
    expect(await storage.exists('tmp/upload.bin')).toBe(true);
  });

  it('copies local files in and out', async () => {
    const source = join(root, '..', `${Date.now()}-source.txt`);
    await writeFile(source, 'from disk');
    try {
      await storage.putFile('catalog/a.txt', source, 'text/plain');
      const out = await storage.toLocalFile(
        'catalog/a.txt',
        join(root, '..', `${Date.now()}-copy`, 'a.txt'),
      );
      expect(await readFile(out, 'utf8')).toBe('from disk');
      await rm(join(out, '..'), { recursive: true });
    } finally {
      await rm(source, { force: true });
    }
  });

  it('replaces a file atomically and leaves no temporary files behind', async () => {
    await storage.put('a/b.txt', Buffer.from('first'), 'text/plain');
    await storage.put('a/b.txt', Buffer.from('second'), 'text/plain');
    expect(await text(await storage.get('a/b.txt'))).toBe('second');
    const names = await readdir(join(root, 'a'));
    expect(names.filter((name) => name.includes('.tmp-') || name.includes('.meta-'))).toEqual([]);
  });

  it('cleans up when a streamed body fails midway', async () => {
    const failing = new Readable({
      read() {
        this.push(Buffer.from('partial'));
        this.destroy(new Error('connection reset'));
      },
    });
    await expect(storage.put('x/broken.bin', failing, 'application/octet-stream')).rejects.toThrow(
      /put failed/,
    );
    expect(await storage.exists('x/broken.bin')).toBe(false);
    expect(await readdir(join(root, 'x'))).toEqual([]);
  });

  it('lists by prefix in key order, skipping its own hidden files, and deletes', async () => {
    await Promise.all([
      storage.put('generations/g2/final.mp4', Buffer.from('2'), 'video/mp4'),
      storage.put('generations/g1/final.mp4', Buffer.from('1'), 'video/mp4'),
      storage.put('generations/g1/speech.wav', Buffer.from('11'), 'audio/wav'),
      storage.put('tmp/t.bin', Buffer.from('t'), 'application/octet-stream'),
    ]);
    await storage.signedUrl('tmp/t.bin', 60); // creates the secret file in the root
    expect((await storage.list('generations/')).map((o) => o.key)).toEqual([
      'generations/g1/final.mp4',
      'generations/g1/speech.wav',
      'generations/g2/final.mp4',
    ]);
    expect((await storage.list('generations/g1')).map((o) => o.key)).toEqual([
      'generations/g1/final.mp4',
      'generations/g1/speech.wav',
    ]);
    expect((await storage.list('')).map((o) => o.key)).toHaveLength(4);
    expect(await storage.list('nothing/here/')).toEqual([]);
    const [first] = await storage.list('generations/g1/s');
    expect(first).toMatchObject({ key: 'generations/g1/speech.wav', sizeBytes: 2 });
    expect(first?.modifiedAt).toBeInstanceOf(Date);

    await storage.delete('generations/g1/final.mp4');
    await storage.delete('generations/g1/speech.wav');
    await storage.delete('generations/g1/speech.wav'); // twice is fine
    expect((await storage.list('generations/')).map((o) => o.key)).toEqual([
      'generations/g2/final.mp4',
    ]);
    // Emptied folders go too.
    await expect(stat(join(root, 'generations', 'g1'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('reports a missing object as StorageObjectNotFoundError', async () => {
    await expect(storage.get('nope/missing.mp4')).rejects.toBeInstanceOf(
      StorageObjectNotFoundError,
    );
    await expect(storage.toLocalFile('nope/missing.mp4', join(root, 'x'))).rejects.toBeInstanceOf(
      StorageObjectNotFoundError,
    );
    expect(await storage.exists('nope/missing.mp4')).toBe(false);
  });

  it.each([
    '../escape.txt',
    'a/../../escape.txt',
    '/etc/passwd',
    'a//b',
    'a/./b',
    '.link-signing-secret',
    'a/.hidden',
    'a\\..\\b',
    'résumé.pdf',
    'a b.txt',
    '',
    'a/b/',
    '%2e%2e/x',
  ])('rejects the key %j', async (key) => {
    await expect(storage.put(key, Buffer.from('x'), 'text/plain')).rejects.toBeInstanceOf(
      InvalidStorageKeyError,
    );
    await expect(storage.get(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
    await expect(storage.delete(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
    await expect(storage.signedUrl(key, 60)).rejects.toBeInstanceOf(InvalidStorageKeyError);
  });

  it.each(['../', '/abs', 'a/../', '.hidden/'])('rejects the list prefix %j', async (prefix) => {
    await expect(storage.list(prefix)).rejects.toBeInstanceOf(InvalidStorageKeyError);
  });

  it('does not follow a key into a symlinked folder outside the root… because keys never name one', async () => {
    // Paths are built from validated segments only; a symlink someone planted is still inside the
    // key space, so this documents that validation, not symlink policy, is the boundary.
    const outside = await mkdtemp(join(tmpdir(), 'outside-'));
    try {
      await symlink(outside, join(root, 'link'));
      expect(storage.pathOf('link/file.txt')).toBe(join(root, 'link', 'file.txt'));
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('ignores a content type that could inject headers', async () => {
    const stored = await storage.put('x/a.png', Buffer.from('png'), 'image/png\r\nSet-Cookie: a=b');
    expect(stored.contentType).toBe('image/png');
  });
});

describe('signed links', () => {
  it('makes links under the public base URL that verify until they expire', async () => {
    let now = Date.UTC(2030, 0, 1);
    const clocked = new LocalFileStorage({
      rootDir: root,
      publicBaseUrl: 'https://bot.example.com/',
      logger,
      now: () => now,
    });
    const url = await clocked.signedUrl('generations/g1/final.mp4', 3600, {
      downloadName: 'Моё видео.mp4',
    });
    expect(url).toMatch(/^https:\/\/bot\.example\.com\/files\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    const token = url.slice(url.lastIndexOf('/') + 1);
    expect(await clocked.verifyDownload(token)).toEqual({
      key: 'generations/g1/final.mp4',
      expiresAt: now / 1000 + 3600,
      downloadName: 'Моё видео.mp4',
    });
    now += 3600_000;
    await expect(clocked.verifyDownload(token)).rejects.toMatchObject({ problem: 'expired' });
  });

  it('keeps a generated secret in the root, so links survive a restart', async () => {
    const url = await storage.signedUrl('a/b.txt', 60);
    const token = url.slice(url.lastIndexOf('/') + 1);
    const secretFile = await stat(join(root, signingSecretFileName));
    expect(secretFile.mode & 0o077).toBe(0);
    const restarted = new LocalFileStorage({ rootDir: root, logger });
    expect((await restarted.verifyDownload(token)).key).toBe('a/b.txt');
    const otherSecret = new LocalFileStorage({
      rootDir: root,
      logger,
      signingSecret: 'configured-secret-0123456789',
    });
    await expect(otherSecret.verifyDownload(token)).rejects.toMatchObject({
      problem: 'bad_signature',
    });
  });

  it('agrees on one secret when two instances start at once', async () => {
    const [a, b] = [
      new LocalFileStorage({ rootDir: root, logger }),
      new LocalFileStorage({ rootDir: root, logger }),
    ];
    const [urlA] = await Promise.all([a.signedUrl('k/a', 60), b.signedUrl('k/b', 60)]);
    expect((await b.verifyDownload(urlA.slice(urlA.lastIndexOf('/') + 1))).key).toBe('k/a');
  });

  it('rejects tampered tokens', async () => {
    const url = await storage.signedUrl('generations/g1/final.mp4', 60);
    const token = url.slice(url.lastIndexOf('/') + 1);
    const [payload = '', signature = ''] = token.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload, 'base64url').toString()),
        k: 'generations/other/final.mp4',
      }),
    ).toString('base64url');
    const flipped = `${signature.slice(0, -2)}${signature.at(-2) === 'A' ? 'B' : 'A'}${signature.at(-1)}`;
    for (const bad of [
      `${forgedPayload}.${signature}`,
      `${payload}.${flipped}`,
      payload,
      `${payload}.`,
      'x.y',
      '',
    ]) {
      await expect(storage.verifyDownload(bad)).rejects.toBeInstanceOf(InvalidDownloadTokenError);
    }
  });

  it('refuses nonsense lifetimes and short secrets', async () => {
    await expect(storage.signedUrl('a/b', 0)).rejects.toThrow(RangeError);
    await expect(storage.signedUrl('a/b', Number.NaN)).rejects.toThrow(RangeError);
    expect(() => new LocalFileStorage({ rootDir: root, signingSecret: 'short' })).toThrow(
      RangeError,
    );
  });
});
