import { z } from 'zod';

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const optionalUrl = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .pipe(z.url().optional())
  .optional();

const integer = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);

/** Comma-separated Telegram ids, e.g. `ADMIN_IDS=1,2,3`. */
const idList = z
  .string()
  .trim()
  .default('')
  .transform((value, ctx) => {
    const parts = value.split(',').map((part) => part.trim()).filter(Boolean);
    const ids: number[] = [];
    for (const part of parts) {
      if (!/^-?\d+$/.test(part)) {
        ctx.addIssue({ code: 'custom', message: `"${part}" is not a numeric Telegram id` });
        continue;
      }
      ids.push(Number(part));
    }
    return ids;
  });

/**
 * Every variable the service reads. All external services are optional: without a key the local
 * implementation serves, so an empty environment is a valid configuration.
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().trim().min(1).default('./data'),

  TELEGRAM_BOT_TOKEN: optionalString.pipe(
    z.string().regex(/^\d+:[\w-]{20,}$/, 'expected the form <bot id>:<secret> from @BotFather').optional(),
  ),
  TELEGRAM_API_ROOT: optionalUrl,
  WEBHOOK_URL: optionalUrl,
  WEBHOOK_SECRET_TOKEN: optionalString.pipe(
    z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, 'only A-Z, a-z, 0-9, _ and - are allowed').optional(),
  ),
  HTTP_HOST: z.string().trim().default('0.0.0.0'),
  HTTP_PORT: integer(8080, 0),
  PUBLIC_BASE_URL: optionalUrl,

  DATABASE_URL: optionalString.pipe(
    z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// connection string').optional(),
  ),
  EVENTSTORE_URL: optionalString.pipe(
    z.string().regex(/^(esdb|esdb\+discover|kurrentdb|kurrent):\/\//, 'expected an esdb:// connection string').optional(),
  ),

  ELEVEN_API_KEY: optionalString,
  FALAI_API_TOKEN: optionalString,
  R2_ACCESS_KEY_ID: optionalString,
  R2_SECRET_ACCESS_KEY: optionalString,
  R2_BUCKET_NAME: optionalString,
  R2_ENDPOINT_URL: optionalUrl,
  SHOTSTACK_API_KEY: optionalString,
  SHOTSTACK_STAGE: z.enum(['stage', 'v1']).default('v1'),
  MODAL_OVERLAY_ENDPOINT: optionalUrl,

  ADMIN_FEEDBACK_CHAT_ID: optionalString.pipe(z.string().regex(/^-?\d+$/, 'expected a numeric chat id').optional()),
  ADMIN_IDS: idList,

  DEFAULT_CREDITS: integer(10),
  COST_UGC_VIDEO: integer(1, 1),
  MAX_AUDIO_DURATION: z.coerce.number().positive().default(15),
  MAX_EDIT_ITERATIONS: integer(3, 1),
  DOWNLOAD_LINK_TTL_HOURS: integer(24, 1),
  LINK_SIGNING_SECRET: optionalString,
});

export type Env = z.infer<typeof envSchema>;
