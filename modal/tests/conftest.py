from __future__ import annotations

import json
import subprocess

import pytest

from synthetic import make_clip


@pytest.fixture(scope="session")
def clip(tmp_path_factory):
    """A 180×320, 15 fps, 2 s talking head with audio, and its true person masks."""
    path = tmp_path_factory.mktemp("clip") / "head.mp4"
    truths = make_clip(str(path), width=180, height=320, fps=15, seconds=2.0)
    return str(path), truths


def ffprobe(path: str) -> dict:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-count_frames", "-print_format", "json", "-show_streams", "-show_format", path],
        capture_output=True, check=True,
    ).stdout
    return json.loads(out)


def video_stream(path: str) -> dict:
    return next(s for s in ffprobe(path)["streams"] if s["codec_type"] == "video")
