"""Video in (OpenCV, frame by frame) and out (an ffmpeg process fed raw frames on stdin).

OpenCV's own writer has no audio and, in most builds, no H.264; ffmpeg encodes the frames as
they come and takes the audio straight from the input file, so memory stays at a frame or two.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from fractions import Fraction
from typing import Iterator, Optional

import cv2
import numpy as np


class MediaError(Exception):
    """The input cannot be read, or ffmpeg could not write the output."""


@dataclass(frozen=True)
class VideoInfo:
    width: int
    height: int
    fps: Fraction
    has_audio: bool


def _tool(name: str) -> str:
    path = os.environ.get(f"{name.upper()}_PATH") or shutil.which(name)
    if not path:
        raise MediaError(f"{name} is not installed (apt-get install ffmpeg)")
    return path


def probe(path: str) -> VideoInfo:
    """Size and exact frame rate (a rational: 30000/1001 stays exact) and whether there is audio."""
    try:
        completed = subprocess.run(
            [_tool("ffprobe"), "-v", "error", "-print_format", "json", "-show_streams", path],
            capture_output=True, timeout=60, check=True,
        )
    except subprocess.CalledProcessError as error:
        raise MediaError(f"input is not a readable video: {error.stderr.decode(errors='replace').strip()[-300:]}") from error
    streams = json.loads(completed.stdout or b"{}").get("streams", [])
    video = next((s for s in streams if s.get("codec_type") == "video"), None)
    if video is None:
        raise MediaError("input has no video stream")
    fps = Fraction(0)
    for key in ("avg_frame_rate", "r_frame_rate"):
        num, _, den = str(video.get(key, "0/0")).partition("/")
        try:
            candidate = Fraction(int(num), int(den or 1))
        except (ValueError, ZeroDivisionError):
            continue
        if candidate > 0:
            fps = candidate
            break
    return VideoInfo(int(video.get("width", 0)), int(video.get("height", 0)), fps, any(s.get("codec_type") == "audio" for s in streams))


def read_frames(path: str) -> Iterator[np.ndarray]:
    """BGR frames, one at a time."""
    capture = cv2.VideoCapture(path)
    if not capture.isOpened():
        raise MediaError("input is not a readable video")
    try:
        while True:
            ok, frame = capture.read()
            if not ok:
                return
            yield frame
    finally:
        capture.release()


def capture_fps(path: str) -> float:
    capture = cv2.VideoCapture(path)
    try:
        return float(capture.get(cv2.CAP_PROP_FPS) or 0)
    finally:
        capture.release()


class FrameWriter:
    """Raw frames (BGR or gray) → H.264 yuv420p MP4, optionally with the audio of `audio_from`."""

    def __init__(self, path: str, width: int, height: int, fps: Fraction, gray: bool, audio_from: Optional[str] = None, crf: int = 18):
        self.path = path
        self._stderr = tempfile.TemporaryFile()
        args = [
            _tool("ffmpeg"), "-nostdin", "-hide_banner", "-v", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "gray" if gray else "bgr24", "-s", f"{width}x{height}",
            "-r", f"{fps.numerator}/{fps.denominator}", "-i", "pipe:0",
        ]
        if audio_from:
            args += ["-i", audio_from, "-map", "0:v:0", "-map", "1:a:0?", "-c:a", "aac", "-b:a", "160k"]
        args += [
            "-c:v", "libx264", "-preset", "veryfast", "-crf", str(crf), "-pix_fmt", "yuv420p",
            # Flat colours must stay flat: no film-grain tuning, full chroma of the green kept by x264.
            "-movflags", "+faststart", "-f", "mp4", path,
        ]
        self._process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self._stderr)
        self.frames = 0

    def write(self, frame: np.ndarray) -> None:
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(np.ascontiguousarray(frame).tobytes())
        except BrokenPipeError as error:
            raise MediaError(f"ffmpeg stopped: {self._error_text()}") from error
        self.frames += 1

    def close(self) -> None:
        assert self._process.stdin is not None
        try:
            self._process.stdin.close()
        except BrokenPipeError:
            pass
        code = self._process.wait(timeout=600)
        if code != 0:
            raise MediaError(f"ffmpeg failed ({code}): {self._error_text()}")
        self._stderr.close()

    def abort(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._stderr.close()

    def _error_text(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace").strip()[-500:]
