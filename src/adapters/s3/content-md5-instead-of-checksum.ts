import { createHash } from 'node:crypto';

/** The part of a serialized request this middleware touches (the SDK's HttpRequest). */
interface SerializedRequest {
  headers: Record<string, string>;
  body?: unknown;
}

interface MiddlewareStackLike {
  addRelativeTo(
    middleware: unknown,
    options: {
      relation: 'before' | 'after';
      toMiddleware: string;
      name: string;
      override?: boolean;
    },
  ): void;
}

/**
 * Sends `Content-MD5` in place of the SDK's flexible checksum on one command.
 *
 * PutBucketLifecycleConfiguration is marked "checksum required", so SDK ≥3.729 adds a CRC32
 * (`x-amz-checksum-crc32` + `x-amz-sdk-checksum-algorithm`) even under `WHEN_REQUIRED`, and R2
 * lists
 * those headers as not implemented for this call. `Content-MD5` is what the SDK sent for such calls
 * before 3.729 (and what Cloudflare's own lifecycle example ran on); AWS S3 and MinIO accept it
 * too.
 */
export function useContentMd5InsteadOfChecksum(stack: MiddlewareStackLike): void {
  stack.addRelativeTo(
    (next: (args: { request: unknown }) => Promise<unknown>) =>
      async (args: { request: unknown }) => {
        const request = args.request as SerializedRequest;
        if (request && typeof request === 'object' && request.headers) {
          for (const name of Object.keys(request.headers)) {
            if (/^x-amz-(checksum-|sdk-checksum-algorithm$)/i.test(name))
              delete request.headers[name];
          }
          if (typeof request.body === 'string' || request.body instanceof Uint8Array) {
            request.headers['content-md5'] = createHash('md5')
              .update(request.body)
              .digest('base64');
          }
        }
        return next(args);
      },
    {
      relation: 'after',
      toMiddleware: 'flexibleChecksumsMiddleware',
      name: 'contentMd5InsteadOfChecksum',
      override: true,
    },
  );
}
