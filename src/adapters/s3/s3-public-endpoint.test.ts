import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../logging/logger.js';
import { createS3Storage, type S3StorageConfig } from './create-s3-storage.js';
import { presignedGetIsValid } from '../../testing/s3/sigv4-query-check.js';
import { startS3rver, type RunningS3rver } from '../../testing/s3/s3rver-server.js';

const log = createLogger({ level: 'silent' });

/**
 * What users reach in the compose stack: a public address in front of the store, passing the
 * Host header through. Like Garage or R2 it refuses a link whose SigV4 signature does not match
 * the host it arrived at (s3rver itself does not check V4 signatures), then serves from s3rver.
 */
async function startCheckingGateway(
  store: RunningS3rver,
): Promise<{ origin: string; close(): Promise<void> }> {
  const storeUrl = new URL(store.connection.endpoint);
  const server: Server = createServer((incoming, outgoing) => {
    const url = new URL(incoming.url ?? '/', `http://${incoming.headers.host}`);
    if (!presignedGetIsValid(url, incoming.headers.host ?? '', store.connection.secretAccessKey)) {
      outgoing.writeHead(403).end('SignatureDoesNotMatch');
      return;
    }
    const forwarded = request(
      {
        host: storeUrl.hostname,
        port: storeUrl.port,
        path: incoming.url,
        method: incoming.method,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.writeHead(502).end());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('presigned links and R2_PUBLIC_ENDPOINT_URL', () => {
  let store: RunningS3rver;
  let gateway: Awaited<ReturnType<typeof startCheckingGateway>>;
  let internal: S3StorageConfig;

  beforeAll(async () => {
    store = await startS3rver('public-links');
    gateway = await startCheckingGateway(store);
    internal = {
      R2_ACCESS_KEY_ID: store.connection.accessKeyId,
      R2_SECRET_ACCESS_KEY: store.connection.secretAccessKey,
      R2_BUCKET_NAME: store.bucket,
      R2_ENDPOINT_URL: store.connection.endpoint,
      R2_REGION: store.connection.region,
    };
  });
  afterAll(async () => {
    await gateway?.close();
    await store?.close();
  });

  it('uploads through the internal endpoint and signs download links for the public one', async () => {
    const storage = createS3Storage({ ...internal, R2_PUBLIC_ENDPOINT_URL: gateway.origin }, log)!;
    await storage.put('generations/g1/final.mp4', Buffer.from('the video'), 'video/mp4');

    const link = new URL(
      await storage.signedUrl('generations/g1/final.mp4', 3600, { downloadName: 'ad.mp4' }),
    );
    expect(link.origin).toBe(gateway.origin);
    expect(link.pathname).toBe('/public-links/generations/g1/final.mp4');
    const response = await fetch(link);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('the video');
    expect(response.headers.get('content-disposition')).toContain('ad.mp4');
  });

  it('without it, links name the internal endpoint, and moving one to the public host breaks its signature', async () => {
    const storage = createS3Storage(internal, log)!;
    await storage.put('generations/g2/final.mp4', Buffer.from('other video'), 'video/mp4');

    const link = new URL(await storage.signedUrl('generations/g2/final.mp4', 3600));
    expect(link.origin).toBe(store.connection.endpoint);
    expect(presignedGetIsValid(link, link.host, internal.R2_SECRET_ACCESS_KEY!)).toBe(true);

    // Why the setting exists: rewriting the host of an internal link afterwards is refused.
    const rewritten = new URL(link);
    rewritten.host = new URL(gateway.origin).host;
    expect((await fetch(rewritten)).status).toBe(403);
  });

  it('signs for a public https host with a path-style bucket, without any network call', async () => {
    const storage = createS3Storage(
      { ...internal, R2_PUBLIC_ENDPOINT_URL: 'https://files.example.com' },
      log,
    )!;
    const link = new URL(await storage.signedUrl('a/b.mp4', 60));
    expect(link.origin).toBe('https://files.example.com');
    expect(link.pathname).toBe('/public-links/a/b.mp4');
    expect(presignedGetIsValid(link, 'files.example.com', internal.R2_SECRET_ACCESS_KEY!)).toBe(
      true,
    );
    expect(
      presignedGetIsValid(
        link,
        new URL(store.connection.endpoint).host,
        internal.R2_SECRET_ACCESS_KEY!,
      ),
    ).toBe(false);
  });
});
