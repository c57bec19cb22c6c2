import { describe, expect, it } from 'vitest';
import { createLogger } from '../../logging/logger.js';
import { createS3Storage, type S3StorageConfig } from './create-s3-storage.js';
import { S3FileStorage } from './s3-file-storage.js';

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger(
    { level: 'debug' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { log, lines };
}

const complete: S3StorageConfig = {
  R2_ACCESS_KEY_ID: 'AKIAEXAMPLE',
  R2_SECRET_ACCESS_KEY: 'super-secret-value',
  R2_BUCKET_NAME: 'ugc-files',
  R2_ENDPOINT_URL: 'https://0123456789abcdef.r2.cloudflarestorage.com',
  R2_REGION: 'auto',
};

describe('createS3Storage', () => {
  it('builds R2 storage when all four variables are set, without logging the secret', async () => {
    const { log, lines } = capturingLogger();
    const storage = createS3Storage(complete, log);
    expect(storage).toBeInstanceOf(S3FileStorage);
    expect(storage?.provider).toBe('s3');
    expect(storage?.bucket).toBe('ugc-files');
    // Signing is local, so the link's shape can be checked without a network.
    const url = new URL(await storage!.signedUrl('generations/g1/final.mp4', 7200));
    expect(url.origin).toBe('https://0123456789abcdef.r2.cloudflarestorage.com');
    expect(url.pathname).toBe('/ugc-files/generations/g1/final.mp4');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(
      /^AKIAEXAMPLE\/\d{8}\/auto\/s3\/aws4_request$/,
    );
    expect(url.searchParams.get('X-Amz-Expires')).toBe('7200');
    expect(JSON.stringify(lines)).not.toContain('super-secret-value');
  });

  it('returns undefined and stays quiet when R2 is not configured at all', () => {
    const { log, lines } = capturingLogger();
    expect(
      createS3Storage(
        {
          R2_REGION: 'auto',
          R2_ACCESS_KEY_ID: undefined,
          R2_SECRET_ACCESS_KEY: undefined,
          R2_BUCKET_NAME: undefined,
          R2_ENDPOINT_URL: undefined,
        },
        log,
      ),
    ).toBeUndefined();
    expect(lines.filter((line) => (line.level as number) >= 40)).toEqual([]);
  });

  it.each([
    'R2_ACCESS_KEY_ID',
    'R2_SECRET_ACCESS_KEY',
    'R2_BUCKET_NAME',
    'R2_ENDPOINT_URL',
  ] as const)('returns undefined and warns when only %s is missing', (name) => {
    const { log, lines } = capturingLogger();
    expect(createS3Storage({ ...complete, [name]: undefined }, log)).toBeUndefined();
    expect(lines.find((line) => line.level === 40)).toMatchObject({ missing: [name] });
  });

  it('addresses the bucket virtual-hosted style when asked', async () => {
    const { log } = capturingLogger();
    const storage = createS3Storage(complete, log, { forcePathStyle: false });
    const url = new URL(await storage!.signedUrl('a/b.mp4', 60));
    expect(url.hostname).toBe('ugc-files.0123456789abcdef.r2.cloudflarestorage.com');
    expect(url.pathname).toBe('/a/b.mp4');
  });
});
