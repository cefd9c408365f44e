"""Work for the camera worker's thread (the only thread that runs the models).

Each ``*_job`` function returns ``fn(analyzer)`` for ``ctx.jobs.submit`` (``kiosk.app.jobs.Jobs``); the rules
of what is done with the result live in ``kiosk.flows``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from kiosk.engine.types import FaceObservation
from kiosk.flows.enroll import embed_photo


def embed_photo_job(path: Path):
    """The one face of an enrollment photo, embedded (a photo problem is the job's error)."""

    def run(analyzer) -> FaceObservation:
        return embed_photo(analyzer, path)

    return run


def face_vector_job(frame: np.ndarray):
    """The embedding of the largest face in ``frame``, or ``None`` (settings' live score)."""

    def run(analyzer) -> np.ndarray | None:
        faces = analyzer.analyze(frame)
        return analyzer.embed(frame, faces[0]) if faces else None

    return run
