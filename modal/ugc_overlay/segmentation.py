"""Person segmentation: frame (BGR, uint8) → alpha (float32 0..1, same size).

Two implementations behind one small protocol:
- `GrabCutSegmenter`: CPU only, OpenCV + numpy. GrabCut (colour GMMs + graph cut) seeded on the
  first frame by the frame border, then propagated: each frame starts from the previous frame's
  mask (its eroded core fixed as person, the far outside fixed as backdrop) and re-estimates only
  the band where the person may have moved, at a reduced working size. Works on plain and textured
  backdrops whose colours differ from the person's; it is the local server's and the tests'
  segmenter.
- `RembgSegmenter`: the Modal GPU path, rembg's BiRefNet-portrait model on onnxruntime-gpu. rembg
  is not installable here, so it is imported lazily and only the deployment uses it.
"""
from __future__ import annotations

from typing import Optional, Protocol

import cv2
import numpy as np


class PersonSegmenter(Protocol):
    name: str

    def segment(self, frame_bgr: np.ndarray) -> np.ndarray:
        """Alpha of the person in this frame; frames arrive in order, one video per instance."""
        ...


class GrabCutSegmenter:
    name = "grabcut"

    def __init__(self, work_size: int = 320, border: float = 0.05, band: float = 0.06, smooth: float = 0.35):
        # work_size: the longer side of the frame GrabCut sees; the mask is scaled back up.
        self.work_size = work_size
        # border: the top and side strips (fraction of the shorter side) taken as backdrop on the
        # first frame; the bottom is not, because a portrait's body reaches the bottom edge.
        self.border = border
        # band: how far (fraction of the shorter side) the person may move between two frames.
        self.band = band
        # smooth: weight of the previous frame's alpha, to calm edge flicker between frames.
        self.smooth = smooth
        self._previous: Optional[np.ndarray] = None  # binary person mask at work size
        self._previous_alpha: Optional[np.ndarray] = None
        self._bgd_model = np.zeros((1, 65), np.float64)
        self._fgd_model = np.zeros((1, 65), np.float64)

    def segment(self, frame_bgr: np.ndarray) -> np.ndarray:
        height, width = frame_bgr.shape[:2]
        scale = min(1.0, self.work_size / max(width, height))
        small = cv2.resize(frame_bgr, (max(8, round(width * scale)), max(8, round(height * scale))), interpolation=cv2.INTER_AREA)
        person = self._first(small) if self._previous is None else self._next(small)
        person = _clean(person)
        self._previous = person
        alpha = cv2.resize(person.astype(np.float32), (width, height), interpolation=cv2.INTER_LINEAR)
        alpha = cv2.GaussianBlur(alpha, (0, 0), sigmaX=max(0.8, 0.5 / scale))
        if self._previous_alpha is not None and self.smooth > 0:
            alpha = (1 - self.smooth) * alpha + self.smooth * self._previous_alpha
        self._previous_alpha = alpha
        return alpha

    def _first(self, small: np.ndarray) -> np.ndarray:
        h, w = small.shape[:2]
        margin = max(2, round(self.border * min(w, h)))
        rect = (margin, margin, w - 2 * margin, h - margin)
        mask = np.zeros((h, w), np.uint8)
        cv2.grabCut(small, mask, rect, self._bgd_model, self._fgd_model, 5, cv2.GC_INIT_WITH_RECT)
        return np.isin(mask, (cv2.GC_FGD, cv2.GC_PR_FGD))

    def _next(self, small: np.ndarray) -> np.ndarray:
        h, w = small.shape[:2]
        previous = self._previous
        assert previous is not None
        if previous.shape != (h, w) or not previous.any():
            self._previous = None
            return self._first(small)
        reach = max(2, round(self.band * min(w, h)))
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * reach + 1, 2 * reach + 1))
        person = previous.astype(np.uint8)
        core = cv2.erode(person, kernel)
        near = cv2.dilate(person, kernel)
        mask = np.full((h, w), cv2.GC_BGD, np.uint8)
        mask[near > 0] = cv2.GC_PR_BGD
        mask[person > 0] = cv2.GC_PR_FGD
        mask[core > 0] = cv2.GC_FGD
        # The border strip stays backdrop (except the bottom, where the body leaves the frame).
        edge = max(1, round(self.border * min(w, h) / 3))
        mask[:edge, :] = cv2.GC_BGD
        mask[:, :edge] = cv2.GC_BGD
        mask[:, w - edge:] = cv2.GC_BGD
        try:
            cv2.grabCut(small, mask, None, self._bgd_model, self._fgd_model, 1, cv2.GC_EVAL)
        except cv2.error:
            # Every pixel fixed to one side (nothing to estimate): keep the previous mask.
            return previous
        return np.isin(mask, (cv2.GC_FGD, cv2.GC_PR_FGD))


def _clean(person: np.ndarray) -> np.ndarray:
    """Keeps the person's blobs (the largest and any at least a tenth its size) and fills holes."""
    binary = person.astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    if count <= 1:
        return person
    areas = stats[1:, cv2.CC_STAT_AREA]
    keep = np.flatnonzero(areas >= areas.max() / 10) + 1
    kept = np.isin(labels, keep).astype(np.uint8)
    # Holes: backdrop regions that do not touch the frame's edge.
    inverse = (1 - kept).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(inverse, connectivity=4)
    h, w = kept.shape
    for label in range(1, count):
        x, y, bw, bh, _area = stats[label]
        if x > 0 and y > 0 and x + bw < w and y + bh < h:
            kept[labels == label] = 1
    return kept > 0


class RembgSegmenter:
    """BiRefNet-portrait through rembg (GPU in the Modal image); one session per container."""

    name = "rembg-birefnet-portrait"

    def __init__(self, session=None, model: str = "birefnet-portrait"):
        if session is None:
            from rembg import new_session  # only in the Modal GPU image

            session = new_session(model, providers=["CUDAExecutionProvider", "CPUExecutionProvider"])
        self.session = session
        self._previous_alpha: Optional[np.ndarray] = None

    def segment(self, frame_bgr: np.ndarray) -> np.ndarray:
        from rembg import remove

        rgb = cv2.cvtColor(frame_bgr, cv2.COLOR_BGR2RGB)
        mask = remove(rgb, session=self.session, only_mask=True, post_process_mask=False)
        alpha = np.asarray(mask, np.float32) / 255.0
        if alpha.ndim == 3:
            alpha = alpha[..., 0]
        # A short EMA calms the model's frame-to-frame edge flicker.
        if self._previous_alpha is not None:
            alpha = 0.7 * alpha + 0.3 * self._previous_alpha
        self._previous_alpha = alpha
        return alpha
