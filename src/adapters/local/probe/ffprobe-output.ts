import { z } from 'zod';

/** ffprobe prints numbers as strings in some fields and omits what it does not know. */
const numeric = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const parsed = typeof value === 'number' ? value : Number.parseFloat(value);
  if (!Number.isFinite(parsed)) {
    ctx.addIssue({ code: 'custom', message: `not a number: ${String(value)}` });
    return z.NEVER;
  }
  return parsed;
});

const streamSchema = z.object({
  index: z.number().int(),
  codec_type: z.string().optional(),
  codec_name: z.string().optional(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  r_frame_rate: z.string().optional(),
  avg_frame_rate: z.string().optional(),
  duration: numeric.optional(),
  nb_frames: numeric.optional(),
  sample_rate: numeric.optional(),
  channels: z.number().int().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  side_data_list: z.array(z.object({ rotation: z.number().optional() }).loose()).optional(),
  disposition: z.object({ attached_pic: z.number().optional() }).loose().optional(),
});

export const ffprobeOutputSchema = z.object({
  streams: z.array(streamSchema).default([]),
  format: z.object({
    format_name: z.string(),
    duration: numeric.optional(),
    size: numeric.optional(),
    tags: z.record(z.string(), z.string()).optional(),
  }),
});

export type FfprobeOutput = z.infer<typeof ffprobeOutputSchema>;
export type FfprobeStream = z.infer<typeof streamSchema>;

/** "30000/1001" → 29.97; "0/0" (unknown) → 0. */
export function parseFrameRate(rate: string | undefined): number {
  if (!rate) return 0;
  const [num, den] = rate.split('/').map(Number);
  if (num === undefined || !Number.isFinite(num)) return 0;
  if (den === undefined) return num;
  return den > 0 && Number.isFinite(den) ? num / den : 0;
}

/** Phones store portrait video as landscape plus a rotation; report what the viewer sees. */
export function streamRotation(stream: FfprobeStream): number {
  const fromSideData = stream.side_data_list?.find(
    (item) => typeof item.rotation === 'number',
  )?.rotation;
  const fromTag =
    stream.tags?.rotate !== undefined ? Number.parseFloat(stream.tags.rotate) : undefined;
  const rotation = fromSideData ?? fromTag ?? 0;
  return Number.isFinite(rotation) ? ((Math.round(rotation) % 360) + 360) % 360 : 0;
}
