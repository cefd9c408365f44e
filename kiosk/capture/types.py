"""What the capture layer hands upward: frames, per-frame reports and the capture result."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from kiosk.capture.guidance import Guidance
from kiosk.capture.guidance import text as guidance_words
from kiosk.engine.types import AggregatedTemplate, FaceObservation


class CaptureOutcome(StrEnum):
    """How a capture ended. A ``str``, so JSON, the audit log and the UI's text keys take it as is."""

    OK = "ok"
    SPOOF = "spoof"
    TIMEOUT = "timeout"
    NOT_ENOUGH = "not_enough"
    CHALLENGE_FAILED = "challenge_failed"
    CANCELLED = "cancelled"


# The session and the worker name outcomes by these module constants.
OK, SPOOF, TIMEOUT, NOT_ENOUGH, CHALLENGE_FAILED, CANCELLED = CaptureOutcome


@dataclass(frozen=True)
class Frame:
    """One image from a source. ``timestamp`` is in seconds on the source's own clock
    (monotonic time for a camera, media time for a video), so a session replayed from a
    file decides exactly as it did live, however fast the machine is."""

    image: np.ndarray  # HxWx3 uint8 BGR
    index: int
    timestamp: float


@dataclass
class FrameReport:
    """The session's decision about one fed frame, for the overlay, the guidance line and logs."""

    index: int
    analyzed: bool
    observations: list[FaceObservation] = field(default_factory=list)
    chosen: FaceObservation | None = None
    accepted: bool = False
    reasons: list[str] = field(default_factory=list)
    guidance_key: Guidance | None = None
    progress: tuple[int, int] = (0, 1)  # steps done, steps needed (good frames, then challenge turns)
    done: bool = False

    @property
    def guidance_text(self) -> str:
        """The instruction in English, for the CLI and debug images (the UI translates ``guidance_key``)."""
        return guidance_words(self.guidance_key)

    def to_dict(self) -> dict:
        return {
            "index": self.index,
            "analyzed": self.analyzed,
            "faces": len(self.observations),
            "chosen": None if self.chosen is None else self.chosen.to_dict(),
            "accepted": self.accepted,
            "reasons": list(self.reasons),
            "guidance": self.guidance_key,
            "progress": list(self.progress),
            "done": self.done,
        }


@dataclass(frozen=True)
class LivenessVerdict:
    passive_score: float | None  # mean live probability over gated frames; None when not checked
    passed: bool
    challenge_passed: bool | None = None  # None when no challenge was asked

    def to_dict(self) -> dict:
        return {
            "passive_score": None if self.passive_score is None else round(self.passive_score, 4),
            "passed": self.passed,
            "challenge_passed": self.challenge_passed,
        }


@dataclass
class CaptureResult:
    """How one capture ended. ``template`` is set only when ``outcome`` is ``ok``."""

    profile: str
    outcome: CaptureOutcome
    template: AggregatedTemplate | None
    frames_seen: int
    frames_analyzed: int
    frames_used: int
    rejected: dict[str, int]
    liveness: LivenessVerdict
    elapsed_s: float
    message: str = ""
    # From the first analyzed frame with a face to the end: the visitor's wait (a login
    # capture started by the attract screen runs long before anyone walks up). None: no face.
    decision_s: float | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == OK and self.template is not None

    def to_dict(self) -> dict:
        """JSON-ready (never the vector itself: templates are secrets)."""
        template = None
        if self.template is not None:
            template = {
                "size": int(self.template.vector.shape[0]),
                "frames_used": self.template.frames_used,
                "outliers": self.template.outliers,
                "quality": round(self.template.quality, 3),
            }
        return {
            "profile": self.profile,
            "outcome": self.outcome,
            "message": self.message,
            "template": template,
            "frames_seen": self.frames_seen,
            "frames_analyzed": self.frames_analyzed,
            "frames_used": self.frames_used,
            "rejected": dict(sorted(self.rejected.items())),
            "liveness": self.liveness.to_dict(),
            "elapsed_s": round(self.elapsed_s, 3),
            "decision_s": None if self.decision_s is None else round(self.decision_s, 3),
        }
