"""Types that flow from the engine to every layer above it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from kiosk.engine.sheet_frame import FrameCue

class Rejection(StrEnum):
    """Why a face, a frame or a photo was not used. A ``str``, so frame reports, JSON, the
    database's counts and the words table (``kiosk.flows.reasons``) all key on the same value."""

    TOO_SMALL = "too_small"
    BLURRY = "blurry"
    TOO_DARK = "too_dark"
    TOO_BRIGHT = "too_bright"
    TURNED_LEFT = "turned_left"
    TURNED_RIGHT = "turned_right"
    LOOKING_UP = "looking_up"
    LOOKING_DOWN = "looking_down"
    LOW_SCORE = "low_score"
    NO_FACE = "no_face"
    MULTIPLE_FACES = "multiple_faces"
    SPOOF = "spoof"
    OUTLIER = "outlier"
    UNREADABLE = "unreadable"  # a photo file that could not be decoded (kiosk.engine.images)


# The engine, the capture session and the gallery name reasons by these module constants.
(
    TOO_SMALL, BLURRY, TOO_DARK, TOO_BRIGHT, TURNED_LEFT, TURNED_RIGHT, LOOKING_UP, LOOKING_DOWN,
    LOW_SCORE, NO_FACE, MULTIPLE_FACES, SPOOF, OUTLIER, UNREADABLE,
) = Rejection


@dataclass
class FaceObservation:
    """One detected face in one frame, with everything measured about it.

    Coordinates are in the pixels of the frame it came from. ``yaw`` is positive when
    the face turns towards the image's right (the person's left), ``pitch`` positive
    when looking up, ``roll`` positive for a clockwise in-image tilt; all in degrees.
    ``embedding`` and ``liveness`` stay ``None`` until explicitly asked for, so gating
    a frame costs one detection.
    """

    box: np.ndarray  # (4,) float32: x1, y1, x2, y2
    keypoints: np.ndarray  # (5, 2) float32: left eye, right eye, nose, left mouth, right mouth
    det_score: float
    size: float  # face size in pixels: the longer side of the box
    yaw: float
    pitch: float
    roll: float
    sharpness: float  # variance of the Laplacian on the aligned 112x112 crop
    exposure: float  # mean luminance (0..255) of the aligned crop
    quality: float = 0.0  # in [0, 1], used as aggregation weight
    reasons: list[str] = field(default_factory=list)
    embedding: np.ndarray | None = None  # L2-normalized, length from the pack
    liveness: float | None = None  # probability that the face is live, in [0, 1]
    frame_cue: FrameCue | None = None  # the enclosing-frame cue, when the liveness check ran it
    aligned: np.ndarray | None = field(default=None, repr=False)  # 112x112 BGR crop

    @property
    def passed(self) -> bool:
        return not self.reasons

    @property
    def area(self) -> float:
        x1, y1, x2, y2 = self.box
        return float(max(0.0, x2 - x1) * max(0.0, y2 - y1))

    def to_dict(self) -> dict:
        """JSON-ready summary (never includes the embedding or pixels)."""
        return {
            "box": [round(float(v), 1) for v in self.box],
            "det_score": round(self.det_score, 4),
            "size": round(self.size, 1),
            "yaw": round(self.yaw, 1),
            "pitch": round(self.pitch, 1),
            "roll": round(self.roll, 1),
            "sharpness": round(self.sharpness, 1),
            "exposure": round(self.exposure, 1),
            "quality": round(self.quality, 3),
            "reasons": list(self.reasons),
            "liveness": None if self.liveness is None else round(self.liveness, 4),
        }


@dataclass(frozen=True)
class AggregatedTemplate:
    """Several observations of one person fused into one L2-normalized vector."""

    vector: np.ndarray
    frames_used: int
    outliers: int
    quality: float  # mean quality of the observations used
