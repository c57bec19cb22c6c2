"""The processing core: talking-head MP4 → green-screen MP4 (person on #00FF00, the input's
audio kept) or grayscale matte MP4 (white = visible), same size, frame rate and frame count.

Free of the `modal` package: the Modal GPU class, the local job runner and the tests all call
`make_overlay`.
"""
from __future__ import annotations

import os
import time
from typing import Callable, Optional

import cv2
import numpy as np

from .geometry import SHAPES, shape_mask
from .segmentation import GrabCutSegmenter, PersonSegmenter
from .video_io import FrameWriter, MediaError, capture_fps, probe, read_frames

MODES = ("greenscreen", "matte")
GREEN_BGR = np.array([0, 255, 0], np.float32)


class Cancelled(Exception):
    """The job was cancelled between two frames."""


def make_overlay(
    input_path: str,
    output_path: str,
    shape: str,
    mode: str,
    segmenter: Optional[PersonSegmenter] = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> dict:
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}; expected one of {SHAPES}")
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; expected one of {MODES}")
    started = time.monotonic()
    info = probe(input_path)
    fps = info.fps
    if fps <= 0:
        from fractions import Fraction

        fps = Fraction(capture_fps(input_path)).limit_denominator(1001)
    if fps <= 0:
        raise MediaError("input has no usable frame rate")

    # Only the cut-out needs the person; the circle and the rectangle show the frame inside them.
    person = (segmenter or GrabCutSegmenter()) if shape == "cutout" else None
    fixed: Optional[np.ndarray] = None
    writer: Optional[FrameWriter] = None
    partial = f"{output_path}.partial.mp4"
    width = height = 0
    try:
        for frame in read_frames(input_path):
            if should_stop():
                raise Cancelled("cancelled")
            if writer is None:
                height, width = frame.shape[:2]
                if shape != "cutout":
                    fixed = shape_mask(shape, width, height)
                writer = FrameWriter(
                    partial, width, height, fps, gray=(mode == "matte"),
                    audio_from=input_path if mode == "greenscreen" and info.has_audio else None,
                )
            alpha = person.segment(frame) if person is not None else fixed
            assert alpha is not None
            writer.write(_render(frame, alpha, mode))
        if writer is None:
            raise MediaError("input has no decodable frames")
        writer.close()
        os.replace(partial, output_path)
    except BaseException:
        if writer is not None:
            writer.abort()
        if os.path.exists(partial):
            os.remove(partial)
        raise
    seconds = float(writer.frames / fps)
    return {
        "frames": writer.frames,
        "fps": float(fps),
        "seconds": round(seconds, 4),
        "width": width,
        "height": height,
        "bytes": os.path.getsize(output_path),
        "segmenter": person.name if person is not None else "shape",
        "processing_seconds": round(time.monotonic() - started, 3),
    }


def _render(frame: np.ndarray, alpha: np.ndarray, mode: str) -> np.ndarray:
    if mode == "matte":
        return cv2.convertScaleAbs(alpha, alpha=255.0)
    # OpenCV's blend runs threaded and outside the GIL; numpy float math here was the bottleneck
    # of the circle and the rectangle at 720p and up.
    green = _green_like(frame)
    alpha = np.ascontiguousarray(alpha, dtype=np.float32)
    return cv2.blendLinear(frame, green, alpha, 1.0 - alpha)


_green_cache: dict = {}


def _green_like(frame: np.ndarray) -> np.ndarray:
    key = frame.shape
    green = _green_cache.get(key)
    if green is None:
        green = np.empty(frame.shape, np.uint8)
        green[:] = GREEN_BGR.astype(np.uint8)
        _green_cache.clear()
        _green_cache[key] = green
    return green
