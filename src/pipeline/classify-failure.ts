import { scrubSecrets } from '../logging/logger.js';

export interface FailureClass {
  readonly retryable: boolean;
  /** One line for the event log and the refund reason: no stack, no secrets, bounded. */
  readonly reason: string;
  /** The error's own stable code (`VOICE_CANNOT_READ`), which decides what the user is told. */
  readonly code?: string;
}

// Codes of local-provider errors that no retry can fix: the input itself is unusable.
const permanentCodes: ReadonlySet<string> = new Set(['UNKNOWN_VOICE', 'NOTHING_TO_SPEAK', 'INVALID_WAV', 'COMMAND_REJECTED']);

const maxReasonLength = 300;

/**
 * Transient or not. An error may say so itself (`retryable`, as cloud clients do); HTTP-like
 * statuses follow the usual meaning (4xx are final except 408 and 429); a few local codes are
 * known to be final; everything else is presumed transient, because a bounded retry costs little
 * and the user is refunded either way.
 */
export function classifyFailure(error: unknown): FailureClass {
  const code = stableCode(error);
  return { retryable: isRetryable(error), reason: describeFailure(error), ...(code === undefined ? {} : { code }) };
}

// Only codes in the project's own spelling (UPPER_SNAKE): a free-text or numeric `code` of some
// library is left in the reason.
function stableCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code } = error as { code?: unknown };
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(code) ? code : undefined;
}

function isRetryable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return true;
  const { retryable, code, status, statusCode } = error as { retryable?: unknown; code?: unknown; status?: unknown; statusCode?: unknown };
  if (typeof retryable === 'boolean') return retryable;
  if (typeof code === 'string' && permanentCodes.has(code)) return false;
  const http = typeof status === 'number' ? status : typeof statusCode === 'number' ? statusCode : undefined;
  if (http !== undefined && http >= 400 && http < 500) return http === 408 || http === 429;
  return true;
}

export function describeFailure(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const line = scrubSecrets(text).replace(/\s+/g, ' ').trim();
  return line.length > maxReasonLength ? `${line.slice(0, maxReasonLength - 1)}…` : line || 'unknown error';
}
