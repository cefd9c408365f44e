"""Work for the camera worker's thread (the only thread that runs the models).

Each ``*_job`` function returns ``fn(analyzer)`` for ``JobRunner.submit``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from kiosk.engine.aggregate import aggregate


def embed_photo_job(path: Path):
    """The one face of an enrollment photo, embedded.

    Exactly one face, as ``kiosk users add`` requires: in a group photo the largest face
    may not be the person being enrolled (raises ImageError, FaceNotFoundError or
    MultipleFacesError, shown as the reason the photo was skipped).
    """

    def run(analyzer) -> Any:
        return analyzer.embed_image(Path(path), policy="single")

    return run


def face_vector_job(frame: np.ndarray):
    """The embedding of the largest face in ``frame``, or ``None`` (settings' live score)."""

    def run(analyzer) -> np.ndarray | None:
        faces = analyzer.analyze(frame)
        return analyzer.embed(frame, faces[0]) if faces else None

    return run


@dataclass
class PhotoBatch:
    """Enrollment from photo files, one photo at a time; unusable photos are skipped with the reason.

    Photos differ in light, age and camera far more than the frames of one capture,
    so a photo counts as an outlier only below the pack's *low* threshold (the
    matcher's own "not the same person"), not the capture profile's stricter bar.
    """

    files: list[Path]
    observations: list[Any] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # file name -> why
    position: int = 0

    @property
    def total(self) -> int:
        return len(self.files)

    def next(self) -> Path | None:
        if self.position >= len(self.files):
            return None
        self.position += 1
        return self.files[self.position - 1]

    def add(self, observation: Any) -> None:
        self.observations.append(observation)

    def skip(self, why: str) -> None:
        self.skipped[Path(self.files[self.position - 1]).name] = why

    def template(self, outlier_cosine: float):
        """Raises ``NotEnoughFramesError`` when no photo had a usable face."""
        return aggregate(self.observations, min_valid=1, outlier_cosine=outlier_cosine)
