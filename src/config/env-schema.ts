import { z } from 'zod';
import { eventStoreUrlProblem } from '../adapters/event-store/eventstoredb/eventstoredb-connection-string.js';
import { starsPacksSetting } from './stars-packs.js';
import { trustProxySetting } from './trust-proxy.js';

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

/** `true`/`false`/`1`/`0`/`yes`/`no`; z.coerce.boolean would read "false" as true. */
const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
    .default(fallback ? 'true' : 'false')
    .transform((value) => (value === '' ? fallback : ['true', '1', 'yes'].includes(value)));

/** Comma-separated secrets, e.g. `ANALYST_API_TOKENS=tok1,tok2`. */
const tokenList = z
  .string()
  .trim()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean),
  );

const integer = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);

/** Comma-separated Telegram ids, e.g. `ADMIN_IDS=1,2,3`. */
const idList = z
  .string()
  .trim()
  .default('')
  .transform((value, ctx) => {
    const parts = value
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
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
    z
      .string()
      .regex(/^\d+:[\w-]{20,}$/, 'expected the form <bot id>:<secret> from @BotFather')
      .optional(),
  ),
  TELEGRAM_API_ROOT: optionalUrl,
  WEBHOOK_URL: optionalUrl,
  WEBHOOK_SECRET_TOKEN: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,256}$/, 'only A-Z, a-z, 0-9, _ and - are allowed')
      .optional(),
  ),
  HTTP_HOST: z.string().trim().default('0.0.0.0'),
  HTTP_PORT: integer(8080, 0),
  PUBLIC_BASE_URL: optionalUrl,

  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// connection string')
      .optional(),
  ),
  /** Checked by the event-store client's own parser, so what passes here is what it opens. */
  EVENTSTORE_URL: optionalString.pipe(
    z
      .string()
      .superRefine((value, ctx) => {
        const problem = eventStoreUrlProblem(value);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
  ),

  ELEVEN_API_KEY: optionalString,
  ELEVEN_MODEL_ID: z.string().trim().min(1).default('eleven_multilingual_v2'),
  /** Overrides https://api.elevenlabs.io (tests point it at the local fake). */
  ELEVEN_BASE_URL: optionalUrl,
  /** Concurrent requests the ElevenLabs plan allows. */
  ELEVEN_CONCURRENCY: integer(2, 1),

  FALAI_API_TOKEN: optionalString,
  /** Overrides https://queue.fal.run (tests point it at the local fake). */
  FALAI_QUEUE_URL: optionalUrl,
  /** When set, fal.ai calls it on completion instead of being polled only. */
  FALAI_WEBHOOK_URL: optionalUrl,
  OMNIHUMAN_RESOLUTION: z.enum(['720p', '1080p']).default('1080p'),
  OMNIHUMAN_TURBO: flag(false),
  FALAI_TIMEOUT_MINUTES: integer(20, 15),

  R2_ACCESS_KEY_ID: optionalString,
  R2_SECRET_ACCESS_KEY: optionalString,
  R2_BUCKET_NAME: optionalString,
  R2_ENDPOINT_URL: optionalUrl,
  /** The host users' browsers reach the store at, when it differs from the one the service talks to
   *  (compose: service `http://garage:3900`, users a public proxy); presigned links are signed for it. */
  R2_PUBLIC_ENDPOINT_URL: optionalUrl,
  R2_REGION: z.string().trim().min(1).default('auto'),
  /** Hours after which files under tmp/ are deleted by the cleanup job and the lifecycle rule. */
  TEMP_FILE_TTL_HOURS: integer(24, 1),
  /** Days an uploaded background clip is kept once no draft uses it (generated videos are kept). */
  UPLOAD_RETENTION_DAYS: integer(30, 1),

  SHOTSTACK_API_KEY: optionalString,
  SHOTSTACK_STAGE: z.enum(['stage', 'v1']).default('v1'),
  /** Overrides https://api.shotstack.io (tests point it at the local fake). */
  SHOTSTACK_BASE_URL: optionalUrl,

  MODAL_OVERLAY_ENDPOINT: optionalUrl,
  /**
   * Bearer token the overlay service checks (its OVERLAY_TOKEN); empty when it runs without one.
   */
  MODAL_OVERLAY_TOKEN: optionalString,
  MODAL_POLL_INTERVAL_MS: integer(5000, 10),

  /**
   * Bearer tokens for the HTTP API: analysts read figures, admins also read users and raw events.
   */
  ANALYST_API_TOKENS: tokenList,
  ADMIN_API_TOKENS: tokenList,
  API_RATE_LIMIT_PER_MINUTE: integer(120, 1),
  /** Requests per minute per client address without a valid token (none, unknown or malformed). */
  API_UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE: integer(30, 1),
  /**
   * Which X-Forwarded-For hops to believe for a client's address; off unless a proxy is in front.
   */
  TRUST_PROXY: trustProxySetting,
  /** Croner pattern and IANA time zone of the daily report to ADMIN_FEEDBACK_CHAT_ID. */
  DAILY_REPORT_CRON: z.string().trim().min(1).default('0 9 * * *'),
  DAILY_REPORT_TZ: z.string().trim().min(1).default('UTC'),
  CLEANUP_CRON: z.string().trim().min(1).default('17 * * * *'),
  /** /readyz fails when a projection is further behind than this many events. */
  READY_MAX_PROJECTION_LAG: integer(1000, 0),

  ADMIN_FEEDBACK_CHAT_ID: optionalString.pipe(
    z
      .string()
      .regex(/^-?\d+$/, 'expected a numeric chat id')
      .optional(),
  ),
  ADMIN_IDS: idList,

  DEFAULT_CREDITS: integer(10),
  COST_UGC_VIDEO: integer(1, 1),
  MAX_AUDIO_DURATION: z.coerce.number().positive().default(15),
  MAX_EDIT_ITERATIONS: integer(3, 1),
  DOWNLOAD_LINK_TTL_HOURS: integer(24, 1),
  /** Credit packs sold for Telegram Stars, `credits:stars,…`; `off` turns payments off. */
  STARS_PACKS: starsPacksSetting,
  /**
   * The longest a finished video waits for Telegram (flood waits, outages) before its delivery is
   * abandoned (kept, not refunded).
   */
  DELIVERY_MAX_WAIT_SECONDS: integer(900, 1),
  LINK_SIGNING_SECRET: optionalString,
});

export type Env = z.infer<typeof envSchema>;
