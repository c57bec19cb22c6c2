import type { OverlayShape } from '../../../ports/compositor.js';
import { planOverlay } from '../compositor/overlay-layout.js';
import { shapeBox } from '../matte/overlay-shape-geometry.js';
import { outputHeight, outputWidth } from '../ffmpeg/video-format.js';

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * How the overlay frame lands on the 1080×1920 output: the `source` region of the overlay (the
 * visible shape) is scaled uniformly by `scale` so that it fills `target`. Everything outside the
 * source is transparent (keyed green, or black in the matte), so a renderer may either crop to the
 * source first (ffmpeg, cheaper) or place the whole frame scaled (Shotstack) — the result is the
 * same.
 */
export interface OverlayPlacement {
  readonly shape: OverlayShape;
  /** The overlay's frame size (same as the talking head's). */
  readonly frame: { readonly width: number; readonly height: number };
  readonly source: Box;
  readonly target: Box;
  readonly scale: number;
  /** Caption baseline distance from the bottom of the frame: just above the head. */
  readonly captionMarginBottom: number;
}

/**
 * The layout of `planOverlay` (the local compositor's), applied to a full-frame overlay made by an
 * OverlayMatteMaker. For the circle and the rectangle, `shapeBox` says where the makers draw the
 * shape (`overlay-shape-geometry.ts`, shared with the Modal service); `visible` overrides it when
 * the
 * overlay shows the shape elsewhere. The cut-out keeps the whole frame, as in the compositor.
 */
export function placeOverlay(
  shape: OverlayShape,
  frame: { width: number; height: number },
  visible?: Box,
): OverlayPlacement {
  const plan = planOverlay(shape, frame);
  if (shape === 'cutout') {
    const source = { x: 0, y: 0, width: frame.width, height: frame.height };
    const target = { x: plan.x, y: plan.y, width: plan.width, height: plan.height };
    return {
      shape,
      frame,
      source,
      target,
      scale: plan.height / frame.height,
      captionMarginBottom: plan.captionMarginBottom,
    };
  }
  const { x, y, width: w, height: h } = visible ?? shapeBox(shape, frame.width, frame.height);
  const source = { x, y, width: w, height: h };
  // Uniform scale into the plan's box: a shape whose aspect differs from the plan's (another
  // maker's rectangle) is letterboxed inside the box rather than stretched.
  const scale = Math.min(plan.width / source.width, plan.height / source.height);
  const width = even(source.width * scale);
  const height = even(source.height * scale);
  const target = {
    x: Math.round(plan.x + (plan.width - width) / 2),
    y: Math.round(plan.y + (plan.height - height) / 2),
    width,
    height,
  };
  return { shape, frame, source, target, scale, captionMarginBottom: plan.captionMarginBottom };
}

/** The whole overlay frame's rectangle on the output (may reach past the output's edges). */
export function frameOnOutput(placement: OverlayPlacement): Box {
  const s = placement.scale;
  return {
    x: placement.target.x - placement.source.x * s,
    y: placement.target.y - placement.source.y * s,
    width: placement.frame.width * s,
    height: placement.frame.height * s,
  };
}

export const output = { width: outputWidth, height: outputHeight } as const;

function even(value: number): number {
  return Math.max(2, 2 * Math.round(value / 2));
}
