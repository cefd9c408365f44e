"""Rest and wake: analyze at a low rate while nobody is there, at full rate once something changes.

A kiosk waits most of the day. Analyzing every frame of an empty scene costs as much
CPU as a sign-in (about 0.95 of a core, issue 15), so after ``rest_after_s`` without
a face the gate admits one frame per ``rest_interval_ms`` only. Every frame still
goes to the preview; what wakes the analysis is a change detector on a tiny grey copy
of the frame (a strided sample, no full-frame conversion: tens of microseconds),
compared with the last frame that was analyzed: when at least ``wake_fraction`` of
its pixels moved by more than ``WAKE_LEVEL`` grey levels, the frame is analyzed at
once and the gate is awake again.

While resting, the preview too shows only ``rest_preview_fps`` frames a second
(``preview_due``): the scene is still, so nobody sees the difference, and the frame
that wakes the gate brings the camera's full rate back. The preview was most of what
a resting kiosk still spent (issue 15: decoding, converting and painting 30 frames a
second, docs/benchmarks.md).

No thread and no clock of its own: like ``CaptureSession`` it decides on the frames'
timestamps, so a test replays footage frame by frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from kiosk.capture.types import Frame
from kiosk.config import CameraSettings

# A frame is due for the resting preview from 3/4 of its interval on, so camera jitter
# cannot skip one more frame than the rate asks (15 of a 30 fps camera: every other one).
PREVIEW_SLACK = 0.75
THUMB_SIDE = 32  # samples along the shorter side of the grey copy: 32x56 for 16:9
# A grey-level change a person brings and camera noise does not: sensor noise on a
# still scene is a few levels (sigma 2 after MJPEG in the benchmark's static scene).
WAKE_LEVEL = 25.0


class Pace(StrEnum):
    AWAKE = "awake"
    RESTING = "resting"


@dataclass(frozen=True)
class RestPolicy:
    """``rest_after_s`` 0 never rests (every frame goes to the session, as before issue 15)."""

    rest_after_s: float = 5.0
    rest_interval_ms: int = 1000
    wake_fraction: float = 0.02
    rest_preview_fps: int = 15  # 0: every frame

    @classmethod
    def from_settings(cls, camera: CameraSettings) -> RestPolicy:
        return cls(camera.rest_after_s, camera.rest_interval_ms, camera.wake_fraction, camera.rest_preview_fps)


def thumbnail(image: np.ndarray) -> np.ndarray:
    """A small grey copy: every n-th pixel of a strided view, channels averaged."""
    step = max(1, min(image.shape[:2]) // THUMB_SIDE)
    thumb: np.ndarray = image[step // 2 :: step, step // 2 :: step].mean(axis=2, dtype=np.float32)
    return thumb


def changed_share(a: np.ndarray, b: np.ndarray) -> float:
    """The share of samples that moved by more than ``WAKE_LEVEL``; 1.0 when the sizes differ."""
    if a.shape != b.shape:
        return 1.0
    return float(np.count_nonzero(np.abs(a - b) > WAKE_LEVEL)) / a.size


class RestGate:
    """Decides per frame whether the capture session analyzes it.

    ``admit(frame)`` before feeding the session; ``observed(timestamp, face_seen)``
    after each analyzed frame; ``wake(timestamp)`` when someone asked for a capture.
    """

    def __init__(self, policy: RestPolicy) -> None:
        self.policy = policy
        self.pace = Pace.AWAKE
        self._last_face: float | None = None  # or the moment it last woke
        self._last_admitted: float | None = None
        self._reference: np.ndarray | None = None  # grey copy of the last admitted frame
        self._last_preview: float | None = None  # only preview_due (the grabber's thread) touches it

    @property
    def enabled(self) -> bool:
        return self.policy.rest_after_s > 0

    def wake(self, timestamp: float | None = None) -> None:
        """Full rate from ``timestamp``; without one (someone asked for a capture, away from
        the frames), from the next analyzed frame, on the source's own clock: a video file's
        media time is not ``time.monotonic()``, and a wall-clock stamp kept it awake for good."""
        self.pace = Pace.AWAKE
        self._last_face = timestamp

    def admit(self, frame: Frame) -> bool:
        if not self.enabled:
            return True
        thumb = thumbnail(frame.image)
        reference, self._reference = self._reference, thumb
        if self.pace == Pace.AWAKE:
            self._last_admitted = frame.timestamp
            return True
        if reference is not None and changed_share(thumb, reference) >= self.policy.wake_fraction:
            self.wake(frame.timestamp)
            self._last_admitted = frame.timestamp
            return True
        due = self._last_admitted is None or frame.timestamp - self._last_admitted >= self.policy.rest_interval_ms / 1000.0
        if due:
            self._last_admitted = frame.timestamp
            return True
        self._reference = reference  # compare with the analyzed frame, so a slow walk-in adds up
        return False

    def preview_due(self, timestamp: float) -> bool:
        """Whether this frame goes to the preview: every frame unless resting with a preview rate."""
        fps = self.policy.rest_preview_fps
        if self.pace == Pace.RESTING and fps > 0 and self._last_preview is not None:
            if timestamp - self._last_preview < PREVIEW_SLACK / fps:
                return False
        self._last_preview = timestamp
        return True

    def observed(self, timestamp: float, face_seen: bool) -> None:
        if not self.enabled:
            return
        if face_seen or self._last_face is None:
            self.wake(timestamp)
        elif self.pace == Pace.AWAKE and timestamp - self._last_face >= self.policy.rest_after_s:
            self.pace = Pace.RESTING
