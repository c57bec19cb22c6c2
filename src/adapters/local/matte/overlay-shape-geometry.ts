/**
 * Where the circle and the rounded rectangle sit in the full-frame overlay. The overlay keeps the
 * talking head's size, so whoever places it must know where the shape is. The same numbers live
 * in `modal/ugc_overlay/geometry.py`; change both together.
 */
export interface ShapeBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** Corner radius (rounded_rect); half the side for the circle. */
  readonly radius: number;
}

// The face of a portrait talking head is in the upper half: the shape's centre sits at these
// fractions of the height, moved only as far as needed to stay inside the frame.
const circleCentreY = 0.42;
const rectCentreY = 0.45;
const rectAspect = 3 / 4;
const rectRadius = 0.1;

export function shapeBox(
  shape: 'circle' | 'rounded_rect',
  width: number,
  height: number,
): ShapeBox {
  if (shape === 'circle') {
    const side = even(Math.min(width, height));
    const centreY = clamp(circleCentreY * height, side / 2, height - side / 2);
    return {
      x: Math.round((width - side) / 2),
      y: Math.round(centreY - side / 2),
      width: side,
      height: side,
      radius: Math.floor(side / 2),
    };
  }
  const boxWidth = even(Math.min(width, height * rectAspect));
  const boxHeight = Math.min(height, even(boxWidth / rectAspect));
  const centreY = clamp(rectCentreY * height, boxHeight / 2, height - boxHeight / 2);
  return {
    x: Math.round((width - boxWidth) / 2),
    y: Math.round(centreY - boxHeight / 2),
    width: boxWidth,
    height: boxHeight,
    radius: Math.round(rectRadius * boxWidth),
  };
}

function even(value: number): number {
  return Math.max(2, 2 * Math.floor(value / 2));
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
