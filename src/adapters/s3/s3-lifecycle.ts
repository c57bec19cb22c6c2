import {
  GetBucketLifecycleConfigurationCommand,
  PutBucketLifecycleConfigurationCommand,
  type LifecycleRule,
  type S3Client,
} from '@aws-sdk/client-s3';
import { z } from 'zod';
import type { Logger } from '../../logging/logger.js';
import { temporaryPrefix } from '../../ports/file-storage/storage-key.js';
import { StorageIoError } from '../../ports/file-storage/file-storage-errors.js';
import { useContentMd5InsteadOfChecksum } from './content-md5-instead-of-checksum.js';
import { isNotImplemented, s3ErrorName, s3Provider } from './s3-errors.js';

export const temporaryFilesRuleId = 'expire-temporary-files';
export { temporaryPrefix };

export type LifecycleOutcome =
  | { readonly kind: 'applied'; readonly days: number }
  | { readonly kind: 'already_set'; readonly days: number }
  /** The server has no lifecycle API (s3rver); the scheduled cleanup is all there is. */
  | { readonly kind: 'unsupported'; readonly reason: string };

export interface EnsureLifecycleOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** TEMP_FILE_TTL_HOURS; lifecycle rules count whole days, so this is rounded up. */
  readonly ttlHours: number;
  readonly log: Logger;
  readonly prefix?: string;
}

/** Lifecycle rules expire in whole days: 1–24 h is one day, 25 h two. */
export function lifecycleDays(ttlHours: number): number {
  if (!Number.isFinite(ttlHours) || ttlHours <= 0)
    throw new RangeError(`ttlHours must be positive, got ${ttlHours}`);
  return Math.max(1, Math.ceil(ttlHours / 24));
}

export function temporaryFilesRule(days: number, prefix = temporaryPrefix): LifecycleRule {
  return {
    ID: temporaryFilesRuleId,
    Status: 'Enabled',
    Filter: { Prefix: prefix },
    Expiration: { Days: days },
  };
}

const ourRuleShape = z.object({
  ID: z.literal(temporaryFilesRuleId),
  Status: z.literal('Enabled'),
  Filter: z.object({ Prefix: z.string() }),
  Expiration: z.object({ Days: z.number().int() }),
});

/**
 * The bucket's rules with ours in place of any older version of it. PutBucketLifecycleConfiguration
 * replaces the whole configuration, so rules someone else set on the bucket are carried over.
 * Returns undefined when ours is already there exactly as wanted.
 */
export function mergeLifecycleRules(
  existing: readonly LifecycleRule[],
  wanted: LifecycleRule,
): LifecycleRule[] | undefined {
  const current = existing.find((rule) => rule.ID === wanted.ID);
  if (current) {
    const parsed = ourRuleShape.safeParse(current);
    if (
      parsed.success &&
      parsed.data.Filter.Prefix === wanted.Filter?.Prefix &&
      parsed.data.Expiration.Days === wanted.Expiration?.Days
    )
      return undefined;
  }
  return [...existing.filter((rule) => rule.ID !== wanted.ID), wanted];
}

/**
 * Makes the bucket itself delete `tmp/` objects after TEMP_FILE_TTL_HOURS (rounded up to days),
 * so temporary files go even when the cleanup job does not run. A server without lifecycle
 * support is reported, not thrown: the scheduled cleanup then enforces the TTL on its own.
 */
export async function ensureLifecycle(options: EnsureLifecycleOptions): Promise<LifecycleOutcome> {
  const { client, bucket, log } = options;
  const days = lifecycleDays(options.ttlHours);
  const prefix = options.prefix ?? temporaryPrefix;
  const context = { stage: 'storage', provider: s3Provider, bucket, prefix, days };
  const unsupported = (error: unknown): LifecycleOutcome => {
    const reason = `${s3ErrorName(error) ?? 'error'}: ${(error as Error).message}`;
    log.warn(
      { ...context, reason, setByHand: lifecycleByHand(prefix, days) },
      'bucket lifecycle rules are not supported; only the scheduled cleanup removes temporary files',
    );
    return { kind: 'unsupported', reason };
  };

  let existing: LifecycleRule[] = [];
  try {
    const response = await client.send(
      new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }),
    );
    existing = response.Rules ?? [];
  } catch (error) {
    if (isNotImplemented(error)) return unsupported(error);
    if (s3ErrorName(error) !== 'NoSuchLifecycleConfiguration')
      throw new StorageIoError('ensureLifecycle', bucket, { cause: error, provider: s3Provider });
  }

  const rules = mergeLifecycleRules(existing, temporaryFilesRule(days, prefix));
  if (!rules) {
    log.info(context, 'bucket lifecycle rule for temporary files already in place');
    return { kind: 'already_set', days };
  }
  try {
    const put = new PutBucketLifecycleConfigurationCommand({
      Bucket: bucket,
      LifecycleConfiguration: { Rules: rules },
    });
    useContentMd5InsteadOfChecksum(put.middlewareStack);
    await client.send(put);
  } catch (error) {
    if (isNotImplemented(error)) return unsupported(error);
    log.warn(
      { ...context, setByHand: lifecycleByHand(prefix, days) },
      'the bucket refused the lifecycle rule for temporary files',
    );
    throw new StorageIoError('ensureLifecycle', bucket, { cause: error, provider: s3Provider });
  }
  log.info(
    { ...context, otherRules: rules.length - 1 },
    'bucket lifecycle rule for temporary files set',
  );
  return { kind: 'applied', days };
}

/**
 * What the operator can do once by hand when the bucket will not take the rule from us (README,
 * "R2").
 */
export function lifecycleByHand(prefix: string, days: number): string {
  return `add the rule once by hand: on R2, the bucket's Settings → Object lifecycle rules → Add rule (prefix "${prefix}", delete objects ${days} day(s) after upload), or \`npx wrangler r2 bucket lifecycle add\`; on another S3, put-bucket-lifecycle-configuration with the same prefix and Expiration.Days=${days}`;
}
