import { z } from 'zod';

/**
 * Shotstack's Edit as its OpenAPI definition describes it (shotstack/oas-api-definition
 * `schemas/*.yaml`), written independently of the client's builder so the
 * fake catches an edit the real API would refuse. Objects are strict: a misspelt property is an
 * error here, as the API's `additionalProperties: false` makes it for fonts and margins.
 * Only assets the fake can render are accepted (video, image, audio, luma, caption).
 */

const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/, 'a #RRGGBB colour');
const src = z.url({ protocol: /^https?$/ });
const positions = [
  'top',
  'topRight',
  'right',
  'bottomRight',
  'bottom',
  'bottomLeft',
  'left',
  'topLeft',
  'center',
] as const;
const crop = z.strictObject({
  top: z.number().min(0).max(1).optional(),
  bottom: z.number().min(0).max(1).optional(),
  left: z.number().min(0).max(1).optional(),
  right: z.number().min(0).max(1).optional(),
});

const videoAsset = z.strictObject({
  type: z.literal('video'),
  src,
  trim: z.number().min(0).optional(),
  volume: z.number().min(0).max(1).optional(),
  volumeEffect: z.enum(['fadeIn', 'fadeOut', 'fadeInFadeOut']).optional(),
  speed: z.number().min(0).max(10).optional(),
  crop: crop.optional(),
  chromaKey: z
    .strictObject({
      color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a #RRGGBB colour'),
      threshold: z.number().int().min(0).max(250).optional(),
      halo: z.number().int().min(0).max(250).optional(),
    })
    .optional(),
});
const imageAsset = z.strictObject({ type: z.literal('image'), src, crop: crop.optional() });
const audioAsset = z.strictObject({
  type: z.literal('audio'),
  src,
  trim: z.number().min(0).optional(),
  volume: z.number().min(0).max(1).optional(),
  speed: z.number().min(0).max(10).optional(),
  effect: z.enum(['fadeIn', 'fadeOut', 'fadeInFadeOut']).optional(),
});
const lumaAsset = z.strictObject({
  type: z.literal('luma'),
  src,
  trim: z.number().min(0).optional(),
});
const captionAsset = z.strictObject({
  type: z.literal('caption'),
  src: z.union([src, z.string().regex(/^alias:\/\/[\w-]+$/)]),
  font: z
    .strictObject({
      family: z.string().optional(),
      name: z.string().optional(),
      fontFamily: z.string().optional(),
      color: hexColor.optional(),
      opacity: z.number().min(0).max(1).optional(),
      size: z.number().int().positive().optional(),
      fontSize: z.number().int().positive().optional(),
      lineHeight: z.number().positive().optional(),
      stroke: hexColor.optional(),
      strokeWidth: z.number().min(0).optional(),
    })
    .optional(),
  background: z
    .strictObject({
      color: hexColor.optional(),
      opacity: z.number().min(0).max(1).optional(),
      padding: z.number().int().min(0).optional(),
      borderRadius: z.number().int().min(0).optional(),
    })
    .optional(),
  margin: z
    .strictObject({
      top: z.number().min(0).max(1).optional(),
      left: z.number().min(0).max(1).optional(),
      right: z.number().min(0).max(1).optional(),
    })
    .optional(),
  trim: z.number().min(0).optional(),
  speed: z.number().min(0).max(10).optional(),
});

export const assetSchema = z.discriminatedUnion('type', [
  videoAsset,
  imageAsset,
  audioAsset,
  lumaAsset,
  captionAsset,
]);

export const clipSchema = z.strictObject({
  asset: assetSchema,
  start: z.number().min(0),
  length: z.union([z.number().positive(), z.literal('auto'), z.literal('end')]),
  fit: z.enum(['crop', 'cover', 'contain', 'none']).optional(),
  scale: z.number().min(0).optional(),
  position: z.enum(positions).optional(),
  offset: z
    .strictObject({
      x: z.number().min(-10).max(10).optional(),
      y: z.number().min(-10).max(10).optional(),
    })
    .optional(),
  opacity: z.number().min(0).max(1).optional(),
  alias: z
    .string()
    .regex(/^[\w-]+$/)
    .optional(),
  // Cosmetic properties the fake accepts and ignores.
  transition: z.strictObject({ in: z.string().optional(), out: z.string().optional() }).optional(),
  effect: z.string().optional(),
  filter: z
    .enum(['blur', 'boost', 'contrast', 'darken', 'greyscale', 'lighten', 'muted', 'negative'])
    .optional(),
});

const allowedFps = [12, 15, 23.976, 24, 25, 29.97, 30, 48, 50, 59.94, 60];

const even = (what: string) =>
  z
    .number()
    .int()
    .positive()
    .max(1920, `${what}: at most 1920 px for video`)
    .refine((v) => v % 2 === 0, `${what} must be even`);

export const outputSchema = z
  .strictObject({
    format: z.enum(['mp4', 'gif', 'mp3', 'jpg', 'png', 'bmp']),
    resolution: z.enum(['preview', 'mobile', 'sd', 'hd', '1080', '4k']).optional(),
    aspectRatio: z.enum(['16:9', '9:16', '1:1', '4:5', '4:3']).optional(),
    size: z.strictObject({ width: even('size.width'), height: even('size.height') }).optional(),
    fps: z
      .number()
      .refine((fps) => allowedFps.includes(fps), `fps: one of ${allowedFps.join(', ')}`)
      .optional(),
    quality: z.enum(['verylow', 'low', 'medium', 'high', 'veryhigh']).optional(),
    scaleTo: z.enum(['preview', 'mobile', 'sd', 'hd', '1080']).optional(),
    mute: z.boolean().optional(),
  })
  .refine(
    (output) => !(output.size && (output.resolution || output.aspectRatio)),
    'size cannot be combined with resolution or aspectRatio',
  );

export const editSchema = z.strictObject({
  timeline: z.strictObject({
    background: hexColor.optional(),
    tracks: z.array(z.strictObject({ clips: z.array(clipSchema).min(1) })).min(1),
    soundtrack: z
      .strictObject({
        src,
        effect: z.enum(['fadeIn', 'fadeOut', 'fadeInFadeOut']).optional(),
        volume: z.number().min(0).max(1).optional(),
      })
      .optional(),
    fonts: z.array(z.strictObject({ src })).optional(),
    cache: z.boolean().optional(),
  }),
  output: outputSchema,
  merge: z.array(z.strictObject({ find: z.string(), replace: z.unknown() })).optional(),
  callback: src.optional(),
});

export type FakeEdit = z.infer<typeof editSchema>;
export type FakeClip = z.infer<typeof clipSchema>;
