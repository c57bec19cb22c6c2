import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/** The seed's stage names; every pipeline log line carries one. */
export type Stage = 'tts' | 'video' | 'overlay' | 'render' | 'montage' | 'assemble' | 'modal' | 'timing' | 'edit' | 'storage';

/**
 * Paths whose values never reach a log line. Provider clients log request options and error
 * causes, so keys can hide in headers, configs and URLs alike.
 */
export const redactedPaths = [
  '*.token',
  '*.apiKey',
  '*.api_key',
  '*.password',
  '*.secret',
  '*.authorization',
  '*.Authorization',
  '*["xi-api-key"]',
  '*["x-api-key"]',
  '*["x-telegram-bot-api-secret-token"]',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'config.TELEGRAM_BOT_TOKEN',
  'config.ELEVEN_API_KEY',
  'config.FALAI_API_TOKEN',
  'config.R2_ACCESS_KEY_ID',
  'config.R2_SECRET_ACCESS_KEY',
  'config.SHOTSTACK_API_KEY',
  'config.LINK_SIGNING_SECRET',
  'config.WEBHOOK_SECRET_TOKEN',
  'config.DATABASE_URL',
  'config.EVENTSTORE_URL',
];

export function createLogger(options: LoggerOptions = {}, destination?: pino.DestinationStream): Logger {
  const base: LoggerOptions = {
    level: process.env.LOG_LEVEL ?? 'info',
    redact: { paths: redactedPaths, censor: '[redacted]' },
    serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    ...options,
  };
  return destination ? pino(base, destination) : pino(base);
}

/** Bot tokens also appear inside Telegram file URLs; scrub them from free text before logging. */
export function scrubSecrets(text: string): string {
  return text.replace(/bot\d+:[\w-]{20,}/g, 'bot[redacted]');
}
