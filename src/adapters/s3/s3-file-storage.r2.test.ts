import { describe, expect, it } from 'vitest';
import { envSchema } from '../../config/env-schema.js';
import { createLogger } from '../../logging/logger.js';
import {
  adjustableClock,
  describeFileStorageContract,
} from '../../ports/contracts/file-storage.contract.js';
import { createS3Storage } from './create-s3-storage.js';

// The real bucket costs requests and stores bytes, so it runs only when asked for. Everything the
// contract writes lives under one `contract-<uuid>/` folder and is deleted afterwards.
const config = envSchema
  .pick({
    R2_ACCESS_KEY_ID: true,
    R2_SECRET_ACCESS_KEY: true,
    R2_BUCKET_NAME: true,
    R2_ENDPOINT_URL: true,
    R2_REGION: true,
    TEMP_FILE_TTL_HOURS: true,
  })
  .parse(process.env);
const configured = Boolean(
  config.R2_ACCESS_KEY_ID &&
  config.R2_SECRET_ACCESS_KEY &&
  config.R2_BUCKET_NAME &&
  config.R2_ENDPOINT_URL,
);
const runReal = process.env.RUN_REAL_PROVIDER_TESTS === '1';
const skip = !configured
  ? 'R2_ACCESS_KEY_ID, R2_SECRET_ACCESS_KEY, R2_BUCKET_NAME and R2_ENDPOINT_URL are not all set'
  : !runReal
    ? 'set RUN_REAL_PROVIDER_TESTS=1 to use the real bucket'
    : false;
const log = createLogger({ level: 'warn' });

describeFileStorageContract(
  'Cloudflare R2, the real bucket',
  async () => {
    const clock = adjustableClock();
    const storage = createS3Storage(config, log, {
      now: clock.now,
      partSizeBytes: 5 * 1024 * 1024,
      listPageSize: 3,
    })!;
    return { storage, setClock: clock.set, listPageSize: 3, cleanup: async () => undefined };
  },
  skip,
);

describe.skipIf(skip !== false)(
  `R2 bucket lifecycle${skip === false ? '' : ` (SKIPPED: ${skip})`}`,
  () => {
    it('keeps a rule that expires tmp/ after TEMP_FILE_TTL_HOURS (rounded up to days)', async () => {
      const storage = createS3Storage(config, log)!;
      const first = await storage.ensureLifecycle(config.TEMP_FILE_TTL_HOURS);
      expect(['applied', 'already_set']).toContain(first.kind);
      expect(await storage.ensureLifecycle(config.TEMP_FILE_TTL_HOURS)).toEqual({
        kind: 'already_set',
        days: Math.ceil(config.TEMP_FILE_TTL_HOURS / 24),
      });
    });
  },
);
