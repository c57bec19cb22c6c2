import { z } from 'zod';

/** The fal.ai queue and model shapes we rely on, checked on arrival. */

export const omniHumanEndpoint = 'fal-ai/bytedance/omnihuman/v1.5';
export const nanoBananaEditEndpoint = 'fal-ai/nano-banana/edit';

const logEntrySchema = z
  .object({ message: z.string(), level: z.string().optional(), timestamp: z.string().optional() })
  .loose();

export const submitResponseSchema = z
  .object({
    request_id: z.string().min(1),
    status: z.string().optional(),
    queue_position: z.number().optional(),
  })
  .loose();

export const queueStatusSchema = z.discriminatedUnion('status', [
  z
    .object({
      status: z.literal('IN_QUEUE'),
      queue_position: z.number().int().nonnegative().nullish(),
    })
    .loose(),
  z.object({ status: z.literal('IN_PROGRESS'), logs: z.array(logEntrySchema).nullish() }).loose(),
  z
    .object({
      status: z.literal('COMPLETED'),
      logs: z.array(logEntrySchema).nullish(),
      metrics: z.object({ inference_time: z.number().nullish() }).loose().nullish(),
    })
    .loose(),
]);

export type QueueStatus = z.infer<typeof queueStatusSchema>;

const falFileSchema = z
  .object({
    url: z.url(),
    content_type: z.string().nullish(),
    file_name: z.string().nullish(),
    file_size: z.number().nullish(),
  })
  .loose();

export const omniHumanOutputSchema = z
  .object({ video: falFileSchema, duration: z.number().nonnegative().nullish() })
  .loose();

export type OmniHumanOutput = z.infer<typeof omniHumanOutputSchema>;

export const nanoBananaOutputSchema = z
  .object({
    images: z
      .array(falFileSchema.extend({ width: z.number().nullish(), height: z.number().nullish() }))
      .min(1),
    description: z.string().nullish(),
  })
  .loose();

export type NanoBananaOutput = z.infer<typeof nanoBananaOutputSchema>;

export const falErrorBodySchema = z
  .object({
    detail: z
      .union([
        z.string(),
        z.array(
          z
            .object({
              loc: z.array(z.union([z.string(), z.number()])).optional(),
              msg: z.string().optional(),
              type: z.string().optional(),
            })
            .loose(),
        ),
      ])
      .optional(),
    error_type: z.string().optional(),
    message: z.string().optional(),
    status: z.string().optional(),
  })
  .loose();
