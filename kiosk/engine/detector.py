"""SCRFD face detection on a session the kiosk creates (provider choice and DirectML options stay ours).

The decoding is ``kiosk.engine.scrfd`` (InsightFace's arithmetic, without the package).
"""

from __future__ import annotations

import numpy as np

from kiosk.engine.pack import ModelPack
from kiosk.engine.providers import LoadedSession, create_session
from kiosk.engine.scrfd import Scrfd


class FaceDetector:
    """Boxes, scores and five keypoints of every face in a BGR frame."""

    def __init__(self, pack: ModelPack, providers: list[str], threads: int, det_size: int, threshold: float) -> None:
        entry = pack.detector
        self.loaded: LoadedSession = create_session(pack.path(entry), providers, threads)
        self.model = Scrfd(self.loaded.session, entry.file, entry.mean, entry.std, threshold)
        fixed = entry.input_size
        self.fixed = fixed is not None  # a graph with a fixed input ignores a requested size
        self.input_size = (fixed[1], fixed[0]) if fixed else (det_size, det_size)

    @property
    def provider(self) -> str:
        return self.loaded.provider

    def detect(self, frame: np.ndarray, size: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(boxes Nx4, scores N, keypoints Nx5x2), float32, in frame pixels; ``size`` 0: the configured input."""
        input_size = (size, size) if size and not self.fixed else self.input_size
        dets, kpss = self.model.detect(frame, input_size)
        if len(dets) == 0:
            return np.zeros((0, 4), np.float32), np.zeros((0,), np.float32), np.zeros((0, 5, 2), np.float32)
        return dets[:, :4].astype(np.float32), dets[:, 4].astype(np.float32), kpss.astype(np.float32)
