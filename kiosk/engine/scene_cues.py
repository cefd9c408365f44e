"""Scene cues a liveness fusion may take beside the models' log-ratios: cheap measurements of the face's surroundings.

Only cues that helped held out by source on real attacks in context are here (docs/capture.md, issue 20).
``scene:ring_brightness``: log of the mean grey level of a ring 0.7 box widths around the face box over
the face's own. A phone or monitor showing a face is lit from inside, so the face is bright against a
darker room; a live face is lit by the same room as its surroundings. Measured leave-one-source-out
on ../shared/faces/spoof-context with the fusion's four model runs: held-out BPCER 2.9% -> 2.2% and
APCER 8.5% -> 4.8% (the every-source threshold rule), the best of the scene cues tried.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

RING_BRIGHTNESS = "scene:ring_brightness"
RING = 0.7  # the ring's width outside the box, in box widths / heights
CLIP = (0.05, 20.0)  # ratio range before the log: a black face or a black room is not infinitely telling
NEUTRAL = 0.0  # log ratio 1: what a frame without surroundings (a tight crop padded for detection) gets
CUES = (RING_BRIGHTNESS,)


def ring_brightness(frame: np.ndarray, box: np.ndarray) -> float:
    """``log(ring mean / face mean)`` in grey levels; ``NEUTRAL`` when the ring or the face is empty."""
    gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY) if frame.ndim == 3 else frame
    h, w = gray.shape[:2]
    x1, y1, x2, y2 = [float(v) for v in box]
    bw, bh = x2 - x1, y2 - y1
    inner = gray[max(0, int(y1)) : max(0, int(y2)), max(0, int(x1)) : max(0, int(x2))]
    ox1, oy1 = int(max(0, x1 - RING * bw)), int(max(0, y1 - RING * bh))
    ox2, oy2 = int(min(w, x2 + RING * bw)), int(min(h, y2 + RING * bh))
    outer = gray[oy1:oy2, ox1:ox2]
    if inner.size == 0 or outer.size <= inner.size:
        return NEUTRAL
    inner_sum = float(inner.sum(dtype=np.float64))
    ring_mean = (float(outer.sum(dtype=np.float64)) - inner_sum) / (outer.size - inner.size)
    ratio = ring_mean / max(1.0, inner_sum / inner.size)
    return float(math.log(min(max(ratio, CLIP[0]), CLIP[1])))


def scene_cue(name: str, frame: np.ndarray, box: np.ndarray, surroundings: bool) -> float:
    """The cue ``name`` of the face at ``box``; ``NEUTRAL`` without real surroundings (a padded crop)."""
    if name != RING_BRIGHTNESS:
        raise ValueError(f"unknown scene cue {name!r}")
    return ring_brightness(frame, box) if surroundings else NEUTRAL
