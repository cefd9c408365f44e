"""The similarity percentage and the reading order of faces (no models needed)."""

from __future__ import annotations

import numpy as np
import pytest

from kiosk.gallery import reading_order, similarity_percent


def test_percent_is_anchored_on_the_pack_thresholds():
    assert similarity_percent(0.30, low=0.30, high=0.45) == 50
    assert similarity_percent(0.45, low=0.30, high=0.45) == 75
    assert similarity_percent(0.0, low=0.30, high=0.45) == 0
    assert similarity_percent(1.0, low=0.30, high=0.45) == 100
    # another pack's thresholds move the anchors with them
    assert similarity_percent(0.25, low=0.25, high=0.60) == 50


def test_percent_is_monotonic_and_clamped():
    scores = np.linspace(-1.0, 1.0, 401)
    percents = [similarity_percent(float(s), low=0.30, high=0.45) for s in scores]
    assert all(a <= b for a, b in zip(percents, percents[1:]))
    assert min(percents) == 0 and max(percents) == 100
    assert similarity_percent(1.7, low=0.3, high=0.45) == 100
    assert similarity_percent(-0.4, low=0.3, high=0.45) == 0


@pytest.mark.parametrize("low, high", [(0.5, 0.4), (0.0, 0.4), (0.3, 1.0)])
def test_percent_falls_back_to_plain_cosine_for_odd_thresholds(low, high):
    assert similarity_percent(0.42, low=low, high=high) == 42


def test_reading_order_rows_then_left_to_right():
    # two rows of faces about 100 px tall; the back row's heads are not perfectly level
    boxes = [
        (500, 420, 600, 520),  # front row, right
        (300, 60, 400, 160),  # back row, middle
        (100, 400, 200, 500),  # front row, left
        (520, 100, 620, 200),  # back row, right, 40 px lower than the middle one
        (80, 80, 180, 180),  # back row, left
    ]
    assert reading_order(boxes) == [4, 1, 3, 2, 0]


def test_a_line_up_with_heads_at_different_heights_is_one_row():
    # the six faces of friends_boostface/Test/all (42).jpeg: one row, heads drifting by 58 px
    boxes = [(42, 176, 108, 266), (124, 131, 198, 234), (211, 192, 270, 273), (302, 168, 373, 266), (404, 175, 472, 276), (484, 186, 570, 294)]
    assert reading_order(boxes) == [0, 1, 2, 3, 4, 5]


def test_reading_order_of_nothing_and_one():
    assert reading_order([]) == []
    assert reading_order([(0, 0, 10, 10)]) == [0]
