import math

import numpy as np
import pytest

from ugc_overlay.geometry import shape_box, shape_mask


def test_circle_spans_the_width_with_the_face_in_the_upper_half():
    box = shape_box("circle", 360, 640)
    assert (box.x, box.width, box.height) == (0, 360, 360)
    assert box.y == round(0.42 * 640 - 180)
    mask = shape_mask("circle", 360, 640)
    assert mask.shape == (640, 360)
    assert mask[box.y + 180, 180] == 1.0
    assert mask[5, 5] == 0.0 and mask[box.y + 2, 2] == 0.0 and mask[639, 180] == 0.0
    assert abs(mask.sum() - math.pi * 180 ** 2) / (math.pi * 180 ** 2) < 0.01


def test_circle_in_a_square_frame_is_centred_and_inscribed():
    box = shape_box("circle", 400, 400)
    assert (box.x, box.y, box.width) == (0, 0, 400)


def test_circle_stays_inside_a_landscape_frame():
    box = shape_box("circle", 640, 360)
    assert box.y == 0 and box.height == 360 and box.x == 140


def test_rounded_rect_has_rounded_corners_and_a_3_4_aspect():
    box = shape_box("rounded_rect", 360, 640)
    assert box.width == 360 and box.height == 480 and box.radius == 36
    mask = shape_mask("rounded_rect", 360, 640)
    assert mask[box.y, box.x] == 0.0  # the corner is cut
    assert mask[box.y + 1, box.x + 180] == 1.0  # just inside the top edge's middle is not
    assert mask[box.y - 1, 180] == 0.0 and mask[box.y + box.height, 180] == 0.0
    expected = box.width * box.height - (4 - math.pi) * box.radius ** 2
    assert abs(mask.sum() - expected) / expected < 0.01


def test_edges_are_anti_aliased():
    values = np.unique(shape_mask("circle", 180, 320))
    assert ((values > 0) & (values < 1)).any()


def test_cutout_has_no_fixed_box():
    with pytest.raises(ValueError):
        shape_box("cutout", 360, 640)
