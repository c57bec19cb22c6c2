import { S3Client } from '@aws-sdk/client-s3';

export interface S3ConnectionOptions {
  /**
   * `https://<account>.r2.cloudflarestorage.com` for R2; `http://127.0.0.1:<port>` for
   * s3rver/MinIO.
   */
  readonly endpoint: string;
  /** `auto` for R2. */
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /**
   * `<endpoint>/<bucket>/<key>` instead of `<bucket>.<host>/<key>`: needed by s3rver and MinIO,
   * accepted by R2.
   */
  readonly forcePathStyle?: boolean;
  /**
   * Attempts per request, the first included; the SDK retries throttling, 5xx and network errors.
   */
  readonly maxAttempts?: number;
  /** Giving up on a connection that does not open. Default 10 s. */
  readonly connectionTimeoutMs?: number;
  /** Giving up on a socket that stays silent, mid-transfer included. Default 60 s. */
  readonly idleTimeoutMs?: number;
}

/**
 * An S3 client that R2 and the local fakes accept. The SDK's default (since 3.729) checksums every
 * upload: R2 rejected those headers with 501, and s3rver stores a streamed body together with its
 * aws-chunked framing (a silently corrupted file). `WHEN_REQUIRED` sends checksums only where an
 * operation demands one, and keeps presigned URLs free of checksum parameters.
 */
export function createS3Client(options: S3ConnectionOptions): S3Client {
  return new S3Client({
    endpoint: options.endpoint,
    region: options.region,
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    forcePathStyle: options.forcePathStyle ?? true,
    maxAttempts: options.maxAttempts ?? 3,
    // The SDK waits forever by default; a stalled socket would hang a generation with it. The
    // idle limit (not a total one) lets a large transfer take as long as it keeps moving.
    requestHandler: {
      connectionTimeout: options.connectionTimeoutMs ?? 10_000,
      socketTimeout: options.idleTimeoutMs ?? 60_000,
    },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
