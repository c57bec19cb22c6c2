import { ApiParams } from './api-params.js';
import type { ParsedMultipart } from './multipart-parser.js';

export function isParsedMultipart(body: unknown): body is ParsedMultipart {
  return (
    typeof body === 'object' &&
    body !== null &&
    'files' in body &&
    (body as ParsedMultipart).files instanceof Map
  );
}

/** Telegram reads parameters from the query string and the body alike; the body wins on clashes. */
export function paramsFromRequest(query: unknown, body: unknown): ApiParams {
  const values: Record<string, unknown> = {};
  if (typeof query === 'object' && query !== null) {
    for (const [key, value] of Object.entries(query as Record<string, unknown>)) {
      values[key] = Array.isArray(value) ? value.at(-1) : value;
    }
  }
  if (isParsedMultipart(body)) {
    Object.assign(values, body.fields);
    return new ApiParams(values, body.files);
  }
  if (typeof body === 'object' && body !== null && !Buffer.isBuffer(body) && !Array.isArray(body)) {
    Object.assign(values, body);
  }
  return new ApiParams(values);
}
