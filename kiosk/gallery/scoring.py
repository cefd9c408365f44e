"""Turning cosine scores into a percentage people can read, and faces into reading order."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def similarity_percent(score: float, low: float, high: float) -> int:
    """Cosine similarity to 0..100, anchored on the pack's own thresholds.

    Piecewise linear through (cos 0 -> 0 %), (low -> 50 %), (high -> 75 %), (1 -> 100 %),
    clamped: 50 % is where the recognizer starts to consider "same person" possible and
    75 % where it would accept a login, so the number means the same thing with any pack.
    Monotonic, so the ranking never disagrees with the percentages. A pack whose
    thresholds do not satisfy 0 < low < high < 1 falls back to ``100 * cos``.
    """
    if 0.0 < low < high < 1.0:
        value = float(np.interp(score, [0.0, low, high, 1.0], [0.0, 50.0, 75.0, 100.0]))
    else:
        value = 100.0 * float(score)
    return int(round(min(100.0, max(0.0, value))))


def reading_order(boxes: Sequence[Sequence[float] | np.ndarray]) -> list[int]:
    """Indices of face boxes (x1, y1, x2, y2) top-to-bottom by rows, then left-to-right.

    Rows are found by gaps: sorted by height in the picture, a face starts a new row when
    its centre is more than half a median face height below the previous face's. A cast
    line-up whose heads drift up and down by more than that overall stays one row, while
    a back row and a front row (a face height or more apart) separate.
    """
    if not len(boxes):
        return []
    arr = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    cx = (arr[:, 0] + arr[:, 2]) / 2
    cy = (arr[:, 1] + arr[:, 3]) / 2
    tolerance = 0.5 * float(np.median(arr[:, 3] - arr[:, 1]))
    order: list[int] = []
    row: list[int] = []
    for i in np.argsort(cy, kind="stable"):
        if row and cy[i] - cy[row[-1]] > tolerance:
            order.extend(sorted(row, key=lambda j: cx[j]))
            row = []
        row.append(int(i))
    order.extend(sorted(row, key=lambda j: cx[j]))
    return order
