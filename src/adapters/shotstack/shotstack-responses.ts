import { z } from 'zod';

/** `POST /edit/{stage}/render` → 201 (integrations.md §3.1). */
export const queuedRenderSchema = z.object({
  success: z.literal(true),
  message: z.string().optional(),
  response: z.object({ id: z.string().min(1), message: z.string().optional() }),
});

export const renderStatuses = ['queued', 'fetching', 'rendering', 'saving', 'done', 'failed'] as const;
export type RenderStatus = (typeof renderStatuses)[number];

/** `GET /edit/{stage}/render/{id}?data=false` → 200. `url` only once done; `error` when failed. */
export const renderStatusSchema = z.object({
  success: z.literal(true),
  message: z.string().optional(),
  response: z
    .object({
      id: z.string(),
      status: z.enum(renderStatuses),
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

/** Error bodies: `{"message":"Forbidden"}` from the gateway, `{success:false,message,response:{error}}` from the API. */
export const errorBodySchema = z
  .object({
    message: z.string().optional(),
    response: z.object({ error: z.string().optional() }).loose().optional(),
  })
  .loose();
