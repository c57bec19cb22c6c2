import { z } from 'zod';

/** The wire shapes of the ElevenLabs API we use, snake_case as sent. */

const alignmentSchema = z
  .object({
    characters: z.array(z.string()),
    character_start_times_seconds: z.array(z.number().nonnegative()),
    character_end_times_seconds: z.array(z.number().nonnegative()),
  })
  .refine(
    (a) =>
      a.characters.length === a.character_start_times_seconds.length &&
      a.characters.length === a.character_end_times_seconds.length,
    { message: 'alignment arrays differ in length' },
  );

export const withTimestampsResponseSchema = z.object({
  audio_base64: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'not base64'),
  alignment: alignmentSchema.nullish(),
  normalized_alignment: alignmentSchema.nullish(),
});

export type WithTimestampsResponse = z.infer<typeof withTimestampsResponseSchema>;

export const voiceSchema = z.object({
  voice_id: z.string().min(1),
  name: z.string().nullish(),
  category: z.string().nullish(),
  labels: z.record(z.string(), z.unknown()).nullish(),
  preview_url: z.string().nullish(),
  high_quality_base_model_ids: z.array(z.string()).nullish(),
  verified_languages: z.array(z.object({ language: z.string().nullish() }).loose()).nullish(),
});

export type WireVoice = z.infer<typeof voiceSchema>;

export const voicesResponseSchema = z.object({ voices: z.array(voiceSchema) });

/**
 * Error bodies: the current `{detail:{type,code,message,status}}`, the legacy
 * `{detail:{status,message}}`, FastAPI's `{detail:[…]}` or a string.
 */
export const errorBodySchema = z.object({
  detail: z.union([
    z
      .object({
        status: z.string().optional(),
        code: z.string().optional(),
        type: z.string().optional(),
        message: z.string().optional(),
      })
      .loose(),
    z.array(
      z
        .object({
          msg: z.string().optional(),
          type: z.string().optional(),
          loc: z.array(z.union([z.string(), z.number()])).optional(),
        })
        .loose(),
    ),
    z.string(),
  ]),
});
