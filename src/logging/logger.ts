import { pino, type Logger, type LoggerOptions } from 'pino';
import type { WorkStage } from '../domain/generation/stages.js';
import { scrubSecrets } from './secret-scrubber.js';

export type { Logger } from 'pino';
export { clearSecretValues, registerSecretValues, scrubSecrets } from './secret-scrubber.js';

/**
 * The `stage` field of log lines. Operators' dashboards and alerts key on these names, so they are
 * kept as they were; most equal a generation's stage (`logStageOf`), the rest name the work of
 * tools and jobs below or beside a stage.
 */
export type Stage =
  | 'tts'
  | 'video'
  | 'overlay'
  | 'render'
  | 'montage'
  | 'assemble'
  | 'modal'
  | 'timing'
  | 'edit'
  | 'storage';

/**
 * The log name of a generation's stage: the stage's own name, except that burning subtitles logs
 * as `montage` and sending the video as `render`, the names those lines always carried.
 */
export function logStageOf(stage: WorkStage): Stage {
  if (stage === 'subtitles') return 'montage';
  if (stage === 'delivery') return 'render';
  return stage;
}

/**
 * Keys whose values never reach a log line, at any depth: provider clients log request options,
 * headers and error causes, and a key can hide anywhere in them. pino's own `redact` only matches
 * fixed paths, so a formatter walks each logged object instead. Values under other keys are
 * scrubbed as text once the whole line is serialised (see `createLogger`).
 */
const secretKey =
  /(token|secret|password|passwd|api[-_]?key|authorization|cookie|credential|signature|database_url|eventstore_url|access_key)/i;

/** Key-based only: string values are left to the line-level scrub, so no text is scrubbed twice. */
export function redactKeys(value: unknown, depth: number): unknown {
  if (depth > 8 || value === null || typeof value !== 'object' || value instanceof Error)
    return value;
  if (Array.isArray(value)) return value.map((item) => redactKeys(item, depth + 1));
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    result[key] =
      secretKey.test(key) && item !== undefined && item !== null && item !== ''
        ? '[redacted]'
        : redactKeys(item, depth + 1);
  }
  return result;
}

/**
 * pino's error serializer (message, stack, `cause` chain folded into both, AggregateError's
 * `errors`), then secret-named keys among the error's own properties (a provider error's request
 * options) are redacted.
 */
const errorSerializer = (error: unknown): unknown =>
  redactKeys(pino.stdSerializers.err(error as Error), 0);

export function createLogger(
  options: LoggerOptions = {},
  destination?: pino.DestinationStream,
): Logger {
  const { formatters, serializers, hooks, ...rest } = options;
  const base: LoggerOptions = {
    level: process.env.LOG_LEVEL ?? 'info',
    ...rest,
    formatters: {
      ...formatters,
      log: (object) =>
        redactKeys(formatters?.log ? formatters.log(object) : object, 0) as Record<string, unknown>,
    },
    serializers: { err: errorSerializer, error: errorSerializer, ...serializers },
    hooks: {
      ...hooks,
      // The last word on every line, whatever put the secret there: the message, a stack, a nested
      // cause, a child logger's bindings. One pass over the finished JSON text.
      streamWrite: (line) => scrubSecrets(hooks?.streamWrite ? hooks.streamWrite(line) : line),
    },
  };
  return destination ? pino(base, destination) : pino(base);
}
