import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../logging/logger.js';
import { parseRangeHeader } from './byte-range.js';
import { contentDisposition } from '../../../ports/file-storage/content-disposition.js';
import { registerFileDownloads } from './file-download-route.js';
import { LocalFileStorage } from './local-file-storage.js';

const logger = createLogger({ level: 'silent' });
const body = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));
let root: string;
let now: number;
let storage: LocalFileStorage;
let app: FastifyInstance;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'download-route-'));
  now = Date.UTC(2030, 5, 1);
  storage = new LocalFileStorage({
    rootDir: root,
    publicBaseUrl: 'http://localhost',
    logger,
    now: () => now,
  });
  await storage.put('generations/g1/final.mp4', body, 'video/mp4');
  app = Fastify({ logger: false });
  await registerFileDownloads(app, storage, { prefix: '/files' });
  await app.ready();
});

afterEach(async () => {
  await app.close();
  await rm(root, { recursive: true, force: true });
});

async function pathFor(
  key: string,
  options?: { downloadName?: string },
  ttl = 3600,
): Promise<string> {
  return new URL(await storage.signedUrl(key, ttl, options)).pathname;
}

describe('registerFileDownloads', () => {
  it('streams the whole file with type, length and an inline name', async () => {
    const response = await app.inject({
      method: 'GET',
      url: await pathFor('generations/g1/final.mp4'),
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('video/mp4');
    expect(response.headers['content-length']).toBe('1000');
    expect(response.headers['accept-ranges']).toBe('bytes');
    expect(response.headers['content-disposition']).toBe('inline; filename="final.mp4"');
    expect(response.rawPayload.equals(body)).toBe(true);
  });

  it('serves byte ranges with 206 and Content-Range', async () => {
    const url = await pathFor('generations/g1/final.mp4');
    const middle = await app.inject({ method: 'GET', url, headers: { range: 'bytes=100-199' } });
    expect(middle.statusCode).toBe(206);
    expect(middle.headers['content-range']).toBe('bytes 100-199/1000');
    expect(middle.headers['content-length']).toBe('100');
    expect(middle.rawPayload.equals(body.subarray(100, 200))).toBe(true);

    const open = await app.inject({ method: 'GET', url, headers: { range: 'bytes=990-' } });
    expect(open.headers['content-range']).toBe('bytes 990-999/1000');
    expect(open.rawPayload.equals(body.subarray(990))).toBe(true);

    const suffix = await app.inject({ method: 'GET', url, headers: { range: 'bytes=-10' } });
    expect(suffix.rawPayload.equals(body.subarray(990))).toBe(true);

    const beyond = await app.inject({ method: 'GET', url, headers: { range: 'bytes=5000-' } });
    expect(beyond.statusCode).toBe(416);
    expect(beyond.headers['content-range']).toBe('bytes */1000');
  });

  it('answers HEAD with the headers only', async () => {
    const response = await app.inject({
      method: 'HEAD',
      url: await pathFor('generations/g1/final.mp4'),
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-length']).toBe('1000');
    expect(response.rawPayload.length).toBe(0);
  });

  it('names the download in UTF-8 per RFC 6266 (Cyrillic)', async () => {
    const response = await app.inject({
      method: 'GET',
      url: await pathFor('generations/g1/final.mp4', { downloadName: 'Моё видео (1).mp4' }),
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="_ _ (1).mp4"; filename*=UTF-8''%D0%9C%D0%BE%D1%91%20%D0%B2%D0%B8%D0%B4%D0%B5%D0%BE%20%281%29.mp4`,
    );
  });

  it('answers 403 for an expired link, without details', async () => {
    const url = await pathFor('generations/g1/final.mp4', undefined, 60);
    now += 61_000;
    const response = await app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({ error: 'link_invalid_or_expired' });
    expect(response.headers['content-disposition']).toBeUndefined();
  });

  it('answers 403 for tampered or made-up tokens', async () => {
    const url = await pathFor('generations/g1/final.mp4');
    const token = url.slice('/files/'.length);
    const [payload = '', signature = ''] = token.split('.');
    const otherKey = Buffer.from(
      JSON.stringify({ v: 1, k: 'generations/g2/final.mp4', e: now / 1000 + 3600 }),
    ).toString('base64url');
    for (const bad of [
      `${otherKey}.${signature}`,
      `${payload}x.${signature}`,
      'not-a-token',
      `${payload}.${'A'.repeat(43)}`,
      '..%2F..%2Fetc%2Fpasswd',
    ]) {
      const response = await app.inject({ method: 'GET', url: `/files/${bad}` });
      expect(response.statusCode, bad).toBe(403);
      expect(response.body).not.toMatch(/generations|\/tmp|Error|at /);
    }
  });

  it('answers 404 for a valid link to a file that is gone', async () => {
    const url = await pathFor('generations/g1/final.mp4');
    await storage.delete('generations/g1/final.mp4');
    const response = await app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: 'file_not_found' });
    expect(response.body).not.toContain(root);
  });
});

describe('parseRangeHeader', () => {
  it.each([
    [undefined, { kind: 'whole' }],
    ['bytes=0-0', { kind: 'partial', start: 0, end: 0 }],
    ['bytes=10-5', { kind: 'whole' }],
    ['bytes=0-99999', { kind: 'partial', start: 0, end: 999 }],
    ['bytes=-5000', { kind: 'partial', start: 0, end: 999 }],
    ['bytes=-0', { kind: 'unsatisfiable' }],
    ['bytes=0-1,5-6', { kind: 'whole' }],
    ['items=0-1', { kind: 'whole' }],
    ['bytes=1000-', { kind: 'unsatisfiable' }],
  ])('%j of 1000 bytes', (header, expected) => {
    expect(parseRangeHeader(header, 1000)).toEqual(expected);
  });
});

describe('contentDisposition', () => {
  it('keeps ASCII names plain and quotes safely', () => {
    expect(contentDisposition('attachment', 'ad.mp4')).toBe('attachment; filename="ad.mp4"');
    expect(contentDisposition('attachment', 'a"b\\c.mp4')).toBe(
      `attachment; filename="a_b_c.mp4"; filename*=UTF-8''a%22b_c.mp4`,
    );
    expect(contentDisposition('attachment', '../../etc/passwd')).toBe(
      `attachment; filename="_.._etc_passwd"`,
    );
    expect(contentDisposition('attachment', 'line\r\nbreak.mp4')).toBe(
      'attachment; filename="linebreak.mp4"',
    );
    expect(contentDisposition('inline', '')).toBe('inline');
  });
});
