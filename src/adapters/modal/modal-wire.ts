import { z } from 'zod';

/** The overlay service's wire contract (modal/README.md). */
export const submitResponseSchema = z.object({ call_id: z.string().min(1).max(200) });

export const jobResultSchema = z
  .object({
    frames: z.number().int().nonnegative(),
    fps: z.number().positive(),
    seconds: z.number().nonnegative(),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    bytes: z.number().int().positive(),
    segmenter: z.string().optional(),
    processing_seconds: z.number().nonnegative().optional(),
  })
  .loose();

export const pollResponseSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('pending') }).loose(),
  z.object({ status: z.literal('done'), result: jobResultSchema }).loose(),
]);

export const failedJobSchema = z
  .object({ status: z.literal('failed'), error: z.string().default('') })
  .loose();

export type JobResult = z.infer<typeof jobResultSchema>;
export type PollResponse = z.infer<typeof pollResponseSchema>;
