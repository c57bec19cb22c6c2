import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutBucketLifecycleConfigurationCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../logging/logger.js';
import { createS3Client } from './s3-client.js';
import { ensureLifecycle, temporaryFilesRule } from './s3-lifecycle.js';

/**
 * The lifecycle calls as R2 documents them: Get/PutBucketLifecycleConfiguration implemented, the
 * `x-amz-checksum-*` / `x-amz-sdk-checksum-algorithm` headers not (answered 501 NotImplemented
 * here), while `Content-MD5` is an ordinary integrity header (checked). `refuseAll` plays a server
 * without lifecycle support.
 */
function startR2LifecycleEmulation() {
  const state = {
    stored: undefined as string | undefined,
    refuseAll: false,
    headersSeen: [] as Record<string, string | string[] | undefined>[],
  };
  const xmlError = (code: string, message: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://r2');
      const reply = (status: number, body = '') =>
        res.writeHead(status, { 'content-type': 'application/xml' }).end(body);
      if (!url.searchParams.has('lifecycle'))
        return reply(400, xmlError('InvalidRequest', 'only lifecycle here'));
      if (state.refuseAll)
        return reply(501, xmlError('NotImplemented', 'lifecycle is not implemented'));
      if (req.method === 'GET') {
        return state.stored
          ? reply(200, state.stored)
          : reply(
              404,
              xmlError(
                'NoSuchLifecycleConfiguration',
                'The lifecycle configuration does not exist.',
              ),
            );
      }
      if (req.method !== 'PUT') return reply(405);
      state.headersSeen.push({ ...req.headers });
      const checksumHeader = Object.keys(req.headers).find((name) =>
        /^x-amz-(checksum-|sdk-checksum-algorithm$)/i.test(name),
      );
      if (checksumHeader)
        return reply(
          501,
          xmlError(
            'NotImplemented',
            `Header '${checksumHeader}' with value '${String(req.headers[checksumHeader])}' not implemented`,
          ),
        );
      const body = Buffer.concat(chunks);
      const md5 = req.headers['content-md5'];
      if (md5 !== undefined && md5 !== createHash('md5').update(body).digest('base64'))
        return reply(400, xmlError('InvalidDigest', 'The Content-MD5 you specified was invalid.'));
      state.stored = body.toString('utf8');
      return reply(200);
    });
  });
  return { server, state };
}

describe('the tmp/ lifecycle rule on an R2-like bucket', () => {
  const { server, state } = startR2LifecycleEmulation();
  let endpoint = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    state.stored = undefined;
    state.refuseAll = false;
    state.headersSeen.length = 0;
  });

  const client = () =>
    createS3Client({
      endpoint,
      region: 'auto',
      accessKeyId: 'r2-key',
      secretAccessKey: 'r2-secret',
      maxAttempts: 1,
    });
  const lines: Record<string, unknown>[] = [];
  const log = createLogger(
    { level: 'debug' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );

  it('is set: Content-MD5 instead of the CRC32 headers R2 does not implement', async () => {
    const outcome = await ensureLifecycle({ client: client(), bucket: 'media', ttlHours: 30, log });
    expect(outcome).toEqual({ kind: 'applied', days: 2 });
    expect(state.stored).toMatch(/<Prefix>tmp\/<\/Prefix>/);
    expect(state.stored).toMatch(/<Days>2<\/Days>/);
    const sent = state.headersSeen.at(-1)!;
    expect(sent['content-md5']).toBeDefined();
    expect(
      Object.keys(sent).filter(
        (name) => name.startsWith('x-amz-checksum') || name === 'x-amz-sdk-checksum-algorithm',
      ),
    ).toEqual([]);
    // The second start finds it in place and sends nothing.
    expect(await ensureLifecycle({ client: client(), bucket: 'media', ttlHours: 30, log })).toEqual(
      { kind: 'already_set', days: 2 },
    );
  });

  it('control: the plain SDK call carries the CRC32 header even under WHEN_REQUIRED, and such a bucket refuses it', async () => {
    // If this starts succeeding the SDK stopped forcing a checksum here; the test above still
    // guards us.
    const put = new PutBucketLifecycleConfigurationCommand({
      Bucket: 'media',
      LifecycleConfiguration: { Rules: [temporaryFilesRule(1)] },
    });
    await expect(client().send(put)).rejects.toMatchObject({ name: 'NotImplemented' });
    expect(Object.keys(state.headersSeen.at(-1)!)).toEqual(
      expect.arrayContaining(['x-amz-sdk-checksum-algorithm']),
    );
  });

  it('a bucket without lifecycle support: the warning says how to set the rule once by hand', async () => {
    state.refuseAll = true;
    lines.length = 0;
    expect(
      await ensureLifecycle({ client: client(), bucket: 'media', ttlHours: 24, log }),
    ).toMatchObject({ kind: 'unsupported' });
    const warning = lines.find((line) => line.level === 40 || line.level === 'warn')!;
    expect(warning.setByHand).toMatch(/Object lifecycle rules/);
    expect(warning.setByHand).toMatch(/prefix "tmp\/"/);
    expect(warning.setByHand).toMatch(/1 day/);
  });
});
