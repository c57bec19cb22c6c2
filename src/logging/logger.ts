import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/** The seed's stage names; every pipeline log line carries one. */
export type Stage = 'tts' | 'video' | 'overlay' | 'render' | 'montage' | 'assemble' | 'modal' | 'timing' | 'edit' | 'storage';

/**
 * Keys whose values never reach a log line, at any depth: provider clients log request options,
 * headers and error causes, and a key can hide anywhere in them. pino's own `redact` only matches
 * fixed paths, so a formatter walks each logged object instead.
 */
const secretKey = /(token|secret|password|passwd|api[-_]?key|authorization|cookie|credential|signature|database_url|eventstore_url|access_key)/i;

/** Connection strings carry passwords in their user-info part. */
const credentialsInUrl = /(\b[a-z][a-z0-9+.-]*:\/\/)([^:@\s/]+):([^@\s/]+)@/gi;

export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') {
    return typeof value === 'string' ? scrubSecrets(value) : value;
  }
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    result[key] = secretKey.test(key) && item !== undefined && item !== null && item !== '' ? '[redacted]' : redactSecrets(item, depth + 1);
  }
  return result;
}

export function createLogger(options: LoggerOptions = {}, destination?: pino.DestinationStream): Logger {
  const base: LoggerOptions = {
    level: process.env.LOG_LEVEL ?? 'info',
    formatters: { log: (object) => redactSecrets(object) as Record<string, unknown> },
    serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    ...options,
  };
  return destination ? pino(base, destination) : pino(base);
}

/** Bot tokens also appear inside Telegram file URLs; scrub them from free text before logging. */
export function scrubSecrets(text: string): string {
  return text.replace(/bot\d+:[\w-]{20,}/g, 'bot[redacted]').replace(credentialsInUrl, '$1$2:[redacted]@');
}
