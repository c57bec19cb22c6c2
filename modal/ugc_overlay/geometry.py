"""Where the circle and the rounded rectangle sit in the full frame.

The overlay keeps the input's size, so whoever places it (Shotstack, the local montage) must know
where the shape is. The same numbers live in `src/adapters/local/matte/overlay-shape-geometry.ts`;
change both together.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

SHAPES = ("circle", "rounded_rect", "cutout")

# A talking head from a portrait has the face in the upper half: the shape's centre sits at these
# fractions of the frame height, moved down or up only as far as needed to stay inside the frame.
CIRCLE_CENTRE_Y = 0.42
RECT_CENTRE_Y = 0.45
RECT_ASPECT = 3 / 4  # width / height, as the local compositor's rectangle
RECT_RADIUS = 0.1  # of the rectangle's width


@dataclass(frozen=True)
class ShapeBox:
    x: int
    y: int
    width: int
    height: int
    radius: int  # corner radius (rounded_rect); half the side for the circle


def _even(value: float) -> int:
    return max(2, 2 * int(value // 2))


def _round(value: float) -> int:
    """Half up, as JavaScript's Math.round (Python's round() goes to even)."""
    return int(math.floor(value + 0.5))


def _clamp(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


def shape_box(shape: str, width: int, height: int) -> ShapeBox:
    if shape == "circle":
        side = _even(min(width, height))
        centre_y = _clamp(CIRCLE_CENTRE_Y * height, side / 2, height - side / 2)
        return ShapeBox(_round((width - side) / 2), _round(centre_y - side / 2), side, side, side // 2)
    if shape == "rounded_rect":
        box_width = _even(min(width, height * RECT_ASPECT))
        box_height = min(height, _even(box_width / RECT_ASPECT))
        centre_y = _clamp(RECT_CENTRE_Y * height, box_height / 2, height - box_height / 2)
        return ShapeBox(
            _round((width - box_width) / 2), _round(centre_y - box_height / 2), box_width, box_height, _round(RECT_RADIUS * box_width)
        )
    raise ValueError(f"no fixed box for shape {shape!r}")


def shape_mask(shape: str, width: int, height: int) -> np.ndarray:
    """Coverage 0..1 (float32, H×W) with a one-pixel anti-aliased edge, as shape-masks.ts draws it."""
    box = shape_box(shape, width, height)
    ys, xs = np.mgrid[0:box.height, 0:box.width].astype(np.float32)
    cx, cy = box.width / 2, box.height / 2
    if shape == "circle":
        r = min(box.width, box.height) / 2
        distance = np.hypot(xs + 0.5 - cx, ys + 0.5 - cy) - (r - 0.5)
    else:
        r = min(box.radius, box.width / 2, box.height / 2)
        dx = np.maximum(np.abs(xs + 0.5 - cx) - (box.width / 2 - r), 0)
        dy = np.maximum(np.abs(ys + 0.5 - cy) - (box.height / 2 - r), 0)
        distance = np.hypot(dx, dy) - (r - 0.5)
    mask = np.zeros((height, width), np.float32)
    mask[box.y:box.y + box.height, box.x:box.x + box.width] = np.clip(0.5 - distance, 0, 1)
    return mask
