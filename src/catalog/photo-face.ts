import { z } from 'zod';

const pointSchema = z.tuple([z.number().finite(), z.number().finite()]);

/**
 * Where the face and the lips are in an imported photo, found once when it is imported (face
 * landmarks from a model that ships inside an npm package), so the local talking head can move
 * that mouth with the speech. Coordinates are pixels of the stored picture, whose hash
 * `imageSha256` is: a renderer handed those exact bytes knows the landmarks belong to them.
 */
export const photoFaceSchema = z.object({
  imageSha256: z.string().regex(/^[0-9a-f]{64}$/),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** The detector's confidence, 0..1. */
  score: z.number().min(0).max(1),
  box: z.object({
    x: z.number(),
    y: z.number(),
    width: z.number().positive(),
    height: z.number().positive(),
  }),
  /**
   * The outer lip contour, 12 points clockwise from the left corner (landmarks 48–59 of the
   * 68-point scheme).
   */
  outerLips: z.array(pointSchema).length(12),
  /** The inner lip contour, 8 points clockwise from the left inner corner (landmarks 60–67). */
  innerLips: z.array(pointSchema).length(8),
  /** Which model found them, for whoever reads the manifest. */
  detector: z.string().min(1).max(120),
});

export type PhotoFace = z.infer<typeof photoFaceSchema>;
export type Point = readonly [number, number];
