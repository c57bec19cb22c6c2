"""A generated talking head with a known person mask: a figure (hair, face, neck, shirt) moving
over a textured, multi-coloured backdrop, encoded with x264 and a tone as the speech."""
from __future__ import annotations

import subprocess
from typing import List

import cv2
import numpy as np

SKIN = (150, 180, 230)  # BGR
HAIR = (30, 40, 60)
SHIRT = (40, 40, 200)


def backdrop(width: int, height: int, seed: int = 7) -> np.ndarray:
    """Blue/teal/grey blotches plus fine grain: not a colour key's plain backdrop."""
    rng = np.random.default_rng(seed)
    coarse = rng.random((max(2, height // 40), max(2, width // 40), 1), np.float32)
    coarse = cv2.resize(coarse, (width, height), interpolation=cv2.INTER_CUBIC)[..., None]
    blue = np.array([200, 140, 70], np.float32)
    teal = np.array([160, 170, 90], np.float32)
    grey = np.array([150, 150, 150], np.float32)
    mix = np.where(coarse < 0.5, blue + (teal - blue) * (coarse * 2), teal + (grey - teal) * ((coarse - 0.5) * 2))
    grain = rng.normal(0, 8, (height, width, 1)).astype(np.float32)
    stripes = 12 * np.sin(np.arange(width, dtype=np.float32) / 9)[None, :, None]
    return np.clip(mix + grain + stripes, 0, 255).astype(np.uint8)


def person_mask(width: int, height: int, dx: int) -> np.ndarray:
    mask = np.zeros((height, width), np.uint8)
    cx = width // 2 + dx
    cv2.ellipse(mask, (cx, int(height * 0.33)), (int(width * 0.15), int(height * 0.11)), 0, 0, 360, 255, -1)  # head + hair
    cv2.rectangle(mask, (cx - int(width * 0.06), int(height * 0.42)), (cx + int(width * 0.06), int(height * 0.52)), 255, -1)  # neck
    cv2.ellipse(mask, (cx, height), (int(width * 0.36), int(height * 0.45)), 0, 180, 360, 255, -1)  # shoulders to the bottom
    return mask


def draw_frame(base: np.ndarray, dx: int) -> np.ndarray:
    height, width = base.shape[:2]
    frame = base.copy()
    mask = person_mask(width, height, dx) > 0
    frame[mask] = SHIRT
    cx = width // 2 + dx
    face = np.zeros((height, width), np.uint8)
    cv2.ellipse(face, (cx, int(height * 0.33)), (int(width * 0.15), int(height * 0.11)), 0, 0, 360, 255, -1)
    cv2.rectangle(face, (cx - int(width * 0.06), int(height * 0.42)), (cx + int(width * 0.06), int(height * 0.52)), 255, -1)
    frame[face > 0] = SKIN
    hair = np.zeros((height, width), np.uint8)
    cv2.ellipse(hair, (cx, int(height * 0.33)), (int(width * 0.15), int(height * 0.11)), 0, 180, 360, 255, -1)
    cv2.rectangle(hair, (0, int(height * 0.33)), (width, height), 0, -1)
    frame[hair > 0] = HAIR
    return frame


def offsets(frames: int, width: int) -> List[int]:
    """A sway of ±8 % of the width over the clip: a speaker moving, not standing still."""
    return [int(round(0.08 * width * np.sin(2 * np.pi * i / max(1, frames)))) for i in range(frames)]


def make_clip(path: str, width: int = 180, height: int = 320, fps: int = 15, seconds: float = 2.0, audio: bool = True) -> List[np.ndarray]:
    """Writes the clip and returns the ground-truth person masks, one per frame."""
    frames = int(round(fps * seconds))
    base = backdrop(width, height)
    args = ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "bgr24", "-s", f"{width}x{height}", "-r", str(fps), "-i", "pipe:0"]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=44100:duration={seconds}", "-c:a", "aac"]
    args += ["-c:v", "libx264", "-preset", "ultrafast", "-crf", "20", "-pix_fmt", "yuv420p", path]
    process = subprocess.Popen(args, stdin=subprocess.PIPE)
    truths = []
    for dx in offsets(frames, width):
        process.stdin.write(draw_frame(base, dx).tobytes())
        truths.append(person_mask(width, height, dx) > 0)
    process.stdin.close()
    assert process.wait() == 0
    return truths
