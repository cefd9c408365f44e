"""Enrollment from photo files, as a job for the camera worker's thread.

Each photo's largest face is embedded; photos that cannot be used are reported
by name and reason instead of stopping the batch, and the rest are fused into
one template exactly as camera frames are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.engine.aggregate import aggregate
from kiosk.errors import KioskError


@dataclass
class PhotoEnrollment:
    template: Any  # AggregatedTemplate
    used: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # file name -> why


def photos_job(paths: Sequence[Path], outlier_cosine: float):
    """``fn(analyzer)`` for ``JobRunner.submit``: embed every photo, then aggregate."""

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
        template = aggregate(observations, min_valid=1, outlier_cosine=outlier_cosine)
        return PhotoEnrollment(template, used, skipped)

    return run
