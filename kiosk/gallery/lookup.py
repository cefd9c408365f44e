"""Looking up every face of a photo or camera frame in the gallery."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from kiosk.engine.types import FaceObservation
from kiosk.gallery.gallery import ActorGallery, ActorMatch
from kiosk.gallery.scoring import reading_order

if TYPE_CHECKING:
    from kiosk.engine.analyzer import FaceAnalyzer


@dataclass(frozen=True)
class FaceLookalike:
    face: FaceObservation  # embedding set; box in the frame's pixels
    matches: list[ActorMatch]  # best first


def lookalikes(gallery: ActorGallery, analyzer: FaceAnalyzer, frame: np.ndarray, k: int = 3) -> list[FaceLookalike]:
    """One answer per detected face, in reading order (rows top to bottom, then left to right)."""
    gallery.check_pack()
    faces = analyzer.analyze(frame)
    faces = [faces[i] for i in reading_order([f.box for f in faces])]
    if not faces:
        return []
    matches = gallery.query_many(np.stack([analyzer.embed(frame, f) for f in faces]), k)
    return [FaceLookalike(face, found) for face, found in zip(faces, matches)]
