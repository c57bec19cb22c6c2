import type { Env } from '../../config/env-schema.js';
import type { Logger } from '../../logging/logger.js';
import { createS3Client } from './s3-client.js';
import { S3FileStorage, type S3FileStorageOptions } from './s3-file-storage.js';

export type S3StorageConfig = Pick<
  Env,
  'R2_ACCESS_KEY_ID' | 'R2_SECRET_ACCESS_KEY' | 'R2_BUCKET_NAME' | 'R2_ENDPOINT_URL' | 'R2_REGION'
> &
  Partial<Pick<Env, 'R2_PUBLIC_ENDPOINT_URL'>>;

export interface CreateS3StorageOptions extends Partial<
  Omit<S3FileStorageOptions, 'client' | 'bucket' | 'logger'>
> {
  /** Path-style addressing works on R2, MinIO and s3rver alike; virtual-hosted only on some. */
  readonly forcePathStyle?: boolean;
  /** Attempts per S3 request (the SDK's retries) and per restartable transfer (ours). */
  readonly maxAttempts?: number;
}

/**
 * R2 (or any S3) storage when all four R2 variables are set; undefined otherwise, so the caller
 * keeps the local disk. Half a configuration is logged, since it is almost certainly a mistake.
 */
export function createS3Storage(
  config: S3StorageConfig,
  log: Logger,
  options: CreateS3StorageOptions = {},
): S3FileStorage | undefined {
  const required = {
    R2_ACCESS_KEY_ID: config.R2_ACCESS_KEY_ID,
    R2_SECRET_ACCESS_KEY: config.R2_SECRET_ACCESS_KEY,
    R2_BUCKET_NAME: config.R2_BUCKET_NAME,
    R2_ENDPOINT_URL: config.R2_ENDPOINT_URL,
  };
  const missing = Object.entries(required)
    .filter(([, value]) => !value)
    .map(([name]) => name);
  if (missing.length > 0) {
    if (missing.length < 4)
      log.warn(
        { stage: 'storage', provider: 's3', missing },
        'R2 storage is partly configured; using local storage',
      );
    return undefined;
  }
  const { forcePathStyle, maxAttempts, ...storageOptions } = options;
  const connection = {
    region: config.R2_REGION,
    accessKeyId: config.R2_ACCESS_KEY_ID!,
    secretAccessKey: config.R2_SECRET_ACCESS_KEY!,
    forcePathStyle: forcePathStyle ?? true,
    ...(maxAttempts !== undefined ? { maxAttempts } : {}),
  };
  const client = createS3Client({ ...connection, endpoint: config.R2_ENDPOINT_URL! });
  // SigV4 signs the Host header, so a link for users must be signed for the host they will
  // send; rewriting an internal link's host afterwards would break its signature.
  const publicEndpoint = config.R2_PUBLIC_ENDPOINT_URL;
  const presignClient = publicEndpoint
    ? createS3Client({ ...connection, endpoint: publicEndpoint })
    : undefined;
  log.info(
    {
      stage: 'storage',
      provider: 's3',
      bucket: config.R2_BUCKET_NAME,
      endpoint: config.R2_ENDPOINT_URL,
      publicEndpoint: publicEndpoint ?? config.R2_ENDPOINT_URL,
    },
    'file storage: S3/R2',
  );
  return new S3FileStorage({
    ...storageOptions,
    client,
    ...(presignClient ? { presignClient } : {}),
    bucket: config.R2_BUCKET_NAME!,
    logger: log,
    ...(maxAttempts !== undefined ? { maxAttempts } : {}),
  });
}
