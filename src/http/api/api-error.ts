/**
 * An expected API refusal: the HTTP status, a stable machine code and a message safe to show.
 * `expose` tells the server's error handler to keep the message even for 5xx answers.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly expose = true;
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export const badRequest = (message: string) => new ApiError(400, 'BAD_REQUEST', message);
export const notFound = (message: string) => new ApiError(404, 'NOT_FOUND', message);
