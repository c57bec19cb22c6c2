import os
import subprocess

import numpy as np
import pytest

from conftest import ffprobe, video_stream
from ugc_overlay.core import Cancelled, make_overlay
from ugc_overlay.geometry import shape_box
from ugc_overlay.video_io import MediaError, read_frames


def frames_of(path):
    return list(read_frames(path))


def is_green(pixel_bgr, tolerance=40):
    return np.abs(pixel_bgr.astype(int) - [0, 255, 0]).max() <= tolerance


def test_greenscreen_circle_keeps_size_rate_frames_and_audio(clip, tmp_path):
    source, _ = clip
    out = str(tmp_path / "green.mp4")
    result = make_overlay(source, out, "circle", "greenscreen")
    before, after = video_stream(source), video_stream(out)
    assert (after["width"], after["height"]) == (before["width"], before["height"]) == (180, 320)
    assert after["r_frame_rate"] == before["r_frame_rate"] == "15/1"
    assert after["nb_read_frames"] == before["nb_read_frames"] == "30"
    assert result["frames"] == 30 and result["fps"] == 15.0 and result["seconds"] == 2.0
    assert result["bytes"] == os.path.getsize(out)
    assert any(s["codec_type"] == "audio" for s in ffprobe(out)["streams"])
    box = shape_box("circle", 180, 320)
    inputs, outputs = frames_of(source), frames_of(out)
    for original, frame in zip(inputs[::7], outputs[::7]):
        assert is_green(frame[3, 3]) and is_green(frame[316, 90]) and is_green(frame[box.y + 3, 3])
        centre = frame[box.y + 90, 90].astype(int)
        assert np.abs(centre - original[box.y + 90, 90]).max() < 30  # the picture inside is the input's


def test_matte_rounded_rect_is_white_inside_black_outside_without_audio(clip, tmp_path):
    source, _ = clip
    out = str(tmp_path / "matte.mp4")
    result = make_overlay(source, out, "rounded_rect", "matte")
    assert result["frames"] == 30
    assert not any(s["codec_type"] == "audio" for s in ffprobe(out)["streams"])
    box = shape_box("rounded_rect", 180, 320)
    frame = frames_of(out)[12]
    assert frame[box.y + box.height // 2, 90].min() > 245
    assert frame[box.y + 1, box.x + 1].max() < 10  # a rounded corner
    assert frame[2, 90].max() < 10 and frame[317, 90].max() < 10


def iou(a, b):
    return (a & b).sum() / max(1, (a | b).sum())


def test_cutout_separates_the_moving_person_from_a_textured_backdrop(clip, tmp_path):
    source, truths = clip
    out = str(tmp_path / "cutout-matte.mp4")
    result = make_overlay(source, out, "cutout", "matte")
    assert result["segmenter"] == "grabcut" and result["frames"] == len(truths)
    scores = [iou(frame[..., 0] > 127, truth) for frame, truth in zip(frames_of(out), truths)]
    assert len(scores) == 30
    assert np.mean(scores) > 0.93, scores
    assert min(scores) > 0.88, scores


def test_cutout_greenscreen_keeps_the_person_and_greens_the_backdrop(clip, tmp_path):
    source, truths = clip
    out = str(tmp_path / "cutout-green.mp4")
    make_overlay(source, out, "cutout", "greenscreen")
    import cv2

    kernel = np.ones((7, 7), np.uint8)
    for index in (0, 8, 22):
        frame = frames_of(out)[index].astype(int)
        original = frames_of(source)[index].astype(int)
        person = cv2.erode(truths[index].astype(np.uint8), kernel) > 0
        backdrop = cv2.erode((~truths[index]).astype(np.uint8), kernel) > 0
        green_share = np.mean(np.abs(frame[backdrop] - [0, 255, 0]).max(axis=1) <= 40)
        kept_share = np.mean(np.abs(frame[person] - original[person]).max(axis=1) <= 30)
        assert green_share > 0.97 and kept_share > 0.97, (index, green_share, kept_share)


def test_an_ntsc_rate_stays_exact(tmp_path):
    source = str(tmp_path / "ntsc.mp4")
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc2=s=96x160:r=30000/1001:d=0.5",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", source],
        check=True,
    )
    out = str(tmp_path / "out.mp4")
    make_overlay(source, out, "circle", "matte")
    assert video_stream(out)["r_frame_rate"] == "30000/1001"
    assert video_stream(out)["nb_read_frames"] == video_stream(source)["nb_read_frames"]


def test_cancel_stops_between_frames_and_leaves_no_file(clip, tmp_path):
    source, _ = clip
    out = tmp_path / "cancelled.mp4"
    seen = []

    def should_stop():
        seen.append(1)
        return len(seen) > 3

    with pytest.raises(Cancelled):
        make_overlay(source, str(out), "cutout", "greenscreen", should_stop=should_stop)
    assert list(tmp_path.iterdir()) == []


def test_unreadable_input_is_a_media_error(tmp_path):
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"not a video at all" * 100)
    with pytest.raises(MediaError):
        make_overlay(str(bad), str(tmp_path / "out.mp4"), "circle", "matte")
    assert not (tmp_path / "out.mp4").exists()


def test_unknown_shape_or_mode_is_refused(clip, tmp_path):
    source, _ = clip
    with pytest.raises(ValueError):
        make_overlay(source, str(tmp_path / "o.mp4"), "star", "matte")
    with pytest.raises(ValueError):
        make_overlay(source, str(tmp_path / "o.mp4"), "circle", "webm_alpha")
