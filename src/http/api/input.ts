import { z } from 'zod';
import { badRequest } from './api-error.js';

/** A position as commands return it (`formatPosition`): `<commit>:<prepare>`. */
export const positionText = z
  .string()
  .regex(/^\d{1,20}:\d{1,20}$/, 'expected <commit>:<prepare>, the position a command returned')
  .describe(
    'Read-your-writes: wait (at most a few seconds) until the read models include this event-log position.',
  );

export const isoDay = z.iso.date();
export const telegramIdParam = z
  .string()
  .regex(/^[1-9]\d{0,15}$/, 'expected a positive numeric Telegram id')
  .transform(Number)
  .refine(Number.isSafeInteger, 'Telegram id out of range');
export const limitParam = (fallback: number, max: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback);

/** Every endpoint takes `atPosition`; the read-your-writes hook acts on it. */
export const withAtPosition = <Shape extends z.ZodRawShape>(shape: Shape) =>
  z.object({ ...shape, atPosition: positionText.optional() }).strict();

/** Parses request input with zod; a failure is a 400 in the house error shape naming the field. */
export function parseInput<T>(
  schema: z.ZodType<T>,
  data: unknown,
  part: 'query' | 'params' | 'headers' | 'body',
): T {
  const result = schema.safeParse(data ?? {});
  if (result.success) return result.data;
  const message = result.error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.length > 0 ? `${part}.${issue.path.join('.')}` : part;
      return `${path}: ${issue.message}`;
    })
    .join('; ');
  throw badRequest(message);
}

/** The OpenAPI form of a zod schema, as the client sends it (before transforms). */
export function openApiSchema(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, {
    io: 'input',
    target: 'openapi-3.0',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}
