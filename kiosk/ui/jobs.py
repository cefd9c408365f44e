"""Work for the camera worker's thread (the only thread that runs the models).

Each function returns ``fn(analyzer)`` for ``JobRunner.submit``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from kiosk.engine.aggregate import aggregate
from kiosk.errors import KioskError


@dataclass
class PhotoEnrollment:
    template: Any  # AggregatedTemplate
    used: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # file name -> why


def photos_job(paths: Sequence[Path]):
    """Enrollment from photo files: each photo's largest face is embedded and the faces fused.

    A photo that cannot be used is reported by name and reason instead of stopping
    the batch. Photos differ in light, age and camera far more than frames of one
    capture, so a photo counts as an outlier only below the pack's *low* threshold
    (the matcher's own "not the same person"), not the capture profile's stricter bar.
    """

    def run(analyzer) -> PhotoEnrollment:
        observations, used, skipped = [], [], {}
        for path in paths:
            try:
                obs = analyzer.embed_image(Path(path))
            except KioskError as exc:
                skipped[Path(path).name] = exc.message
                continue
            observations.append(obs)
            used.append(Path(path).name)
        template = aggregate(observations, min_valid=1, outlier_cosine=analyzer.pack.thresholds.low)
        return PhotoEnrollment(template, used, skipped)

    return run


def face_vector_job(frame: np.ndarray):
    """The embedding of the largest face in ``frame``, or ``None`` (settings' live score)."""

    def run(analyzer) -> np.ndarray | None:
        faces = analyzer.analyze(frame)
        return analyzer.embed(frame, faces[0]) if faces else None

    return run
