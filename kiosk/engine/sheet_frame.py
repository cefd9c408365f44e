"""The "enclosing frame" cue: straight edges around a face, as a held print or phone shows them.

A photo held up to the camera has a frame: the paper's edge or the phone's bezel, straight
lines beside, above and below the face at a short distance. A live person has none: below
the chin come a neck and shoulders, not a straight edge across. This module finds line
segments (OpenCV's LSD) in a band around the face box, in the face's own axes (the eye
line gives the roll), and says which sides of an enclosing rectangle they form.

Classical image processing only, no model: a few ms on a face scaled to ``FACE_PX``, 1.03x the
gated per-frame cost (docs/benchmarks.md). docs/capture.md has the figures on real prints and
real faces, and why the rule is three sides of four.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

SIDES = ("left", "right", "top", "bottom")
FACE_PX = 48  # the face box's width after scaling: line detection at one scale whatever the camera
# The band searched, in face-box widths (u, along the eye line) and heights (v, down the face),
# from the box's centre: a print or phone showing a face is larger than the face, not many times.
U_MAX = 1.6
V_TOP = 1.3
V_BOTTOM = 1.6
GAP = 0.08  # a side's line must be at least this far outside the box (a jaw line is not a frame)
TOP_GAP = 0.15  # above the box the hair's outline comes first
ANGLE_DEG = 12.0  # how far from the face's axes a frame's edge may lie
MIN_LENGTH = 0.3  # shortest segment kept, in box units
MERGE = 0.06  # segments this close across (in box units) are one edge
SPAN = 0.55  # a side counts when one edge covers this fraction of the face's extent beside it
MIN_SIDES = 3  # sides that make an enclosure: two (a door frame, straight hair) leave the neck free


@dataclass(frozen=True)
class FrameCue:
    """How much of an enclosing rectangle the edges around a face form.

    ``cover`` is per side (left, right, top, bottom) the fraction of the face's extent that
    one straight edge covers beside it; ``sides`` those reaching ``SPAN``.
    """

    cover: tuple[float, float, float, float]
    distance: tuple[float, float, float, float]  # that edge's distance from the box, in box units (nan: none)

    @property
    def sides(self) -> tuple[str, ...]:
        return tuple(name for name, c in zip(SIDES, self.cover) if c >= SPAN)

    @property
    def score(self) -> float:
        """The fraction of the four sides found: 0 (no frame) .. 1 (a rectangle all round)."""
        return len(self.sides) / len(SIDES)

    @property
    def encloses(self) -> bool:
        """At least ``MIN_SIDES`` sides: the face is inside a frame."""
        return len(self.sides) >= MIN_SIDES

    def describe(self) -> str:
        found = ", ".join(f"{n} {c:.2f}@{d:.2f}" for n, c, d in zip(SIDES, self.cover, self.distance) if c > 0)
        return f"frame cue {self.score:.2f} ({found or 'no edges'})"


def face_roll(keypoints: np.ndarray | None) -> float:
    """The eye line's angle in radians (0 when there are no keypoints)."""
    if keypoints is None or len(keypoints) < 2:
        return 0.0
    (x1, y1), (x2, y2) = keypoints[0], keypoints[1]
    return math.atan2(float(y2 - y1), float(x2 - x1))


def segments_in_face_axes(frame: np.ndarray, box: np.ndarray, roll: float) -> np.ndarray:
    """Line segments around the face as (u1, v1, u2, v2) rows, in box widths / heights from its centre."""
    x1, y1, x2, y2 = [float(v) for v in box]
    bw, bh = max(1.0, x2 - x1), max(1.0, y2 - y1)
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    c, s = math.cos(roll), math.sin(roll)
    # The band's corners in the frame, for its axis-aligned bounding box (the face may be rolled).
    corners = [(u * bw, v * bh) for u in (-U_MAX, U_MAX) for v in (-V_TOP, V_BOTTOM)]
    xs = [cx + u * c - v * s for u, v in corners]
    ys = [cy + u * s + v * c for u, v in corners]
    h, w = frame.shape[:2]
    left, top = int(max(0, min(xs))), int(max(0, min(ys)))
    right, bottom = int(min(w, max(xs) + 1)), int(min(h, max(ys) + 1))
    if right - left < 8 or bottom - top < 8:
        return np.zeros((0, 4), np.float32)
    scale = FACE_PX / bw
    crop = frame[top:bottom, left:right]
    gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop
    gray = cv2.resize(gray, (max(8, round(gray.shape[1] * scale)), max(8, round(gray.shape[0] * scale))), interpolation=cv2.INTER_AREA)
    lines = cv2.createLineSegmentDetector().detect(gray)[0]  # a new one each call (under a microsecond): thread-safe
    if lines is None:
        return np.zeros((0, 4), np.float32)
    pts = lines.reshape(-1, 2, 2).astype(np.float64) / scale + [left, top] - [cx, cy]
    u = pts[..., 0] * c + pts[..., 1] * s
    v = -pts[..., 0] * s + pts[..., 1] * c
    return np.stack([u[:, 0] / bw, v[:, 0] / bh, u[:, 1] / bw, v[:, 1] / bh], 1).astype(np.float32)


def _side(along: np.ndarray, across: np.ndarray, lo: float, hi: float, keep: np.ndarray, extent: tuple[float, float]) -> tuple[float, float]:
    """Best edge among ``keep`` segments whose ``across`` position is in [lo, hi]: (cover of ``extent``, distance)."""
    mid = across.mean(1)
    chosen = keep & (mid >= lo) & (mid <= hi)
    if not chosen.any():
        return 0.0, math.nan
    a0, a1 = extent
    best, where = 0.0, math.nan
    positions = mid[chosen]
    spans = np.sort(along[chosen], 1)
    for p in positions:
        near = np.abs(positions - p) <= MERGE
        cover = _union_length(spans[near], a0, a1) / (a1 - a0)
        if cover > best:
            best, where = cover, float(p)
    return best, where


def _union_length(spans: np.ndarray, lo: float, hi: float) -> float:
    clipped = np.clip(spans, lo, hi)
    clipped = clipped[np.argsort(clipped[:, 0])]
    total, end = 0.0, lo
    for a, b in clipped:
        a = max(a, end)
        if b > a:
            total += b - a
            end = b
    return total


def frame_cue(frame: np.ndarray, box: np.ndarray, keypoints: np.ndarray | None = None) -> FrameCue:
    """Which sides of an enclosing rectangle straight edges form around ``box``."""
    seg = segments_in_face_axes(frame, box, face_roll(keypoints))
    if len(seg) == 0:
        return FrameCue((0.0,) * 4, (math.nan,) * 4)
    du, dv = seg[:, 2] - seg[:, 0], seg[:, 3] - seg[:, 1]
    length = np.hypot(du, dv)
    angle = np.degrees(np.arctan2(np.abs(dv), np.abs(du)))  # 0 along the eye line, 90 down the face
    long = length >= MIN_LENGTH
    across_face = long & (angle <= ANGLE_DEG)  # horizontal in the face's axes
    down_face = long & (angle >= 90 - ANGLE_DEG)
    us, vs = seg[:, [0, 2]], seg[:, [1, 3]]
    face_rows = face_cols = (-0.5, 0.5)  # a side's edge is measured along the box's own extent
    out = [
        _side(vs, -us, 0.5 + GAP, U_MAX, down_face, face_rows),  # left: a vertical edge beside the face
        _side(vs, us, 0.5 + GAP, U_MAX, down_face, face_rows),
        _side(us, -vs, 0.5 + TOP_GAP, V_TOP, across_face, face_cols),
        _side(us, vs, 0.5 + GAP, V_BOTTOM, across_face, face_cols),
    ]
    (c0, d0), (c1, d1), (c2, d2), (c3, d3) = out
    cover = (round(c0, 4), round(c1, 4), round(c2, 4), round(c3, 4))
    distance = (_beyond(d0), _beyond(d1), _beyond(d2), _beyond(d3))
    return FrameCue(cover, distance)


def _beyond(d: float) -> float:
    """How far an edge lies outside the box's half-extent (NaN: no edge on that side)."""
    return abs(d) - 0.5 if not math.isnan(d) else math.nan
