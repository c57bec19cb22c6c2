import crypto, { type CipherKey } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { S3ConnectionOptions } from '../../adapters/s3/s3-client.js';

export interface RunningS3rver {
  readonly connection: S3ConnectionOptions;
  readonly bucket: string;
  close(): Promise<void>;
}

/**
 * An in-process S3 on 127.0.0.1, a free port and a fresh folder, with one bucket made. Its
 * credentials are fixed (S3RVER/S3RVER) and it needs path-style addressing; bucket names must
 * be 3–63 characters like on S3.
 */
export async function startS3rver(bucket = 'test-bucket'): Promise<RunningS3rver> {
  allowSingleDes();
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  return {
    connection: {
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
    },
    bucket,
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/**
 * s3rver encrypts ListObjectsV2 continuation tokens with single DES, which OpenSSL 3 (Node ≥17)
 * only offers through its legacy provider: every truncated listing then fails with a 500
 * InternalError. Triple DES with three equal keys is single DES, and OpenSSL 3 still has it, so
 * within test processes that start s3rver, `des` is served by `des-ede3-cbc`.
 */
function allowSingleDes(): void {
  try {
    crypto.createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8));
    return;
  } catch {
    // unsupported here: patch below
  }
  const tripled = (key: CipherKey) => {
    const bytes = Buffer.from(key as Buffer);
    return Buffer.concat([bytes, bytes, bytes]);
  };
  const { createCipheriv, createDecipheriv } = crypto;
  crypto.createCipheriv = ((
    algorithm: string,
    key: CipherKey,
    iv: Buffer | null,
    options?: unknown,
  ) =>
    algorithm === 'des'
      ? createCipheriv('des-ede3-cbc', tripled(key), iv)
      : (createCipheriv as (...args: unknown[]) => crypto.Cipheriv)(
          algorithm,
          key,
          iv,
          options,
        )) as typeof crypto.createCipheriv;
  crypto.createDecipheriv = ((
    algorithm: string,
    key: CipherKey,
    iv: Buffer | null,
    options?: unknown,
  ) =>
    algorithm === 'des'
      ? createDecipheriv('des-ede3-cbc', tripled(key), iv)
      : (createDecipheriv as (...args: unknown[]) => crypto.Decipheriv)(
          algorithm,
          key,
          iv,
          options,
        )) as typeof crypto.createDecipheriv;
}
