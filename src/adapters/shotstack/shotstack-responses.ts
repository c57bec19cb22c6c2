import { z } from 'zod';

/** `POST /edit/{stage}/render` → 201 (the OAS `QueuedResponse`). */
export const queuedRenderSchema = z.object({
  success: z.literal(true),
  message: z.string().optional(),
  response: z.object({ id: z.string().min(1), message: z.string().optional() }),
});

/**
 * The statuses the vendored OpenAPI definition lists (specs/shotstack,
 * `RenderResponseData.status`),
 * in the order a render passes through them. `preprocessing` arrived in 2026; Shotstack may add
 * more, so the client treats any status but `done` and `failed` as progress instead of refusing it.
 */
export const renderStatuses = [
  'queued',
  'fetching',
  'preprocessing',
  'rendering',
  'saving',
  'done',
  'failed',
] as const;
export type KnownRenderStatus = (typeof renderStatuses)[number];
/** A known status, or one the definition did not list when this was written (still progress). */
export type RenderStatus = KnownRenderStatus | (string & {});

export function isKnownRenderStatus(status: string): status is KnownRenderStatus {
  return (renderStatuses as readonly string[]).includes(status);
}

/** `GET /edit/{stage}/render/{id}?data=false` → 200. `url` only once done; `error` when failed. */
export const renderStatusSchema = z.object({
  success: z.literal(true),
  message: z.string().optional(),
  response: z
    .object({
      id: z.string(),
      status: z.string().min(1),
      error: z.string().nullish(),
      url: z.string().nullish(),
      duration: z.number().nullish(),
      renderTime: z.number().nullish(),
      created: z.string().nullish(),
      updated: z.string().nullish(),
    })
    .loose(),
});

export type RenderStatusResponse = z.infer<typeof renderStatusSchema>['response'];

/**
 * Error bodies: `{"message":"Forbidden"}` from the gateway,
 * `{success:false,message,response:{error}}` from the API.
 */
export const errorBodySchema = z
  .object({
    message: z.string().optional(),
    response: z.object({ error: z.string().optional() }).loose().optional(),
  })
  .loose();
