import type { ResponseParameters } from 'grammy/types';

/**
 * A failure the emulator reports through Telegram's `{ ok: false }` envelope. The HTTP status
 * equals `errorCode`, as on api.telegram.org, so clients that look at either agree.
 */
export class BotApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: ResponseParameters,
  ) {
    super(description);
    this.name = 'BotApiError';
  }

  toEnvelope(): {
    ok: false;
    error_code: number;
    description: string;
    parameters?: ResponseParameters;
  } {
    return this.parameters === undefined
      ? { ok: false, error_code: this.errorCode, description: this.description }
      : {
          ok: false,
          error_code: this.errorCode,
          description: this.description,
          parameters: this.parameters,
        };
  }
}

export const badRequest = (detail: string): BotApiError =>
  new BotApiError(400, `Bad Request: ${detail}`);

export const forbidden = (detail: string): BotApiError =>
  new BotApiError(403, `Forbidden: ${detail}`);

export const unauthorized = (): BotApiError => new BotApiError(401, 'Unauthorized');

export const notFound = (): BotApiError => new BotApiError(404, 'Not Found');

export const conflict = (detail: string): BotApiError =>
  new BotApiError(409, `Conflict: ${detail}`);

export const entityTooLarge = (): BotApiError => new BotApiError(413, 'Request Entity Too Large');

export const tooManyRequests = (retryAfterSeconds: number): BotApiError =>
  new BotApiError(429, `Too Many Requests: retry after ${retryAfterSeconds}`, {
    retry_after: retryAfterSeconds,
  });

const serverErrorTexts: Record<number, string> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export const serverError = (status: number): BotApiError =>
  new BotApiError(status, serverErrorTexts[status] ?? 'Internal Server Error');

/** Telegram's wording for every "which message?" failure on edits. */
export const messageToEditNotFound = (): BotApiError => badRequest('message to edit not found');

export const notModified = (): BotApiError =>
  badRequest(
    'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
  );
