"""SCRFD face detection through InsightFace's model-zoo class.

The ``SCRFD`` class is loaded straight from ``insightface/model_zoo/scrfd.py`` instead of
``import insightface``: the package's ``__init__`` imports its whole app (matplotlib,
scikit-image, albumentations, ~2 s), none of which detection needs. The session is
ours, so provider choice and DirectML options stay under the kiosk's control.
"""

from __future__ import annotations

import importlib.util
import sys
from functools import lru_cache
from pathlib import Path
from types import ModuleType

import numpy as np

from kiosk.engine.pack import ModelPack
from kiosk.engine.providers import LoadedSession, create_session
from kiosk.errors import ModelPackError

SCRFD_RELATIVE = Path("insightface") / "model_zoo" / "scrfd.py"


def scrfd_source() -> Path:
    """Where ``scrfd.py`` lies: beside a PyInstaller bundle's files, or in site-packages."""
    bundle_root = getattr(sys, "_MEIPASS", None)
    if bundle_root and (Path(bundle_root) / SCRFD_RELATIVE).is_file():
        return Path(bundle_root) / SCRFD_RELATIVE
    spec = importlib.util.find_spec("insightface")  # locates the package without running its __init__
    for location in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(location) / "model_zoo" / "scrfd.py"
        if candidate.is_file():
            return candidate
    raise ModelPackError("insightface's SCRFD detector code is not installed (insightface/model_zoo/scrfd.py)")


@lru_cache(maxsize=1)
def scrfd_module() -> ModuleType:
    path = scrfd_source()
    spec = importlib.util.spec_from_file_location("kiosk_insightface_scrfd", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class FaceDetector:
    """Boxes, scores and five keypoints of every face in a BGR frame."""

    def __init__(self, pack: ModelPack, providers: list[str], threads: int, det_size: int, threshold: float) -> None:
        entry = pack.detector
        self.loaded: LoadedSession = create_session(pack.path(entry), providers, threads)
        self.model = scrfd_module().SCRFD(model_file=str(pack.path(entry)), session=self.loaded.session)
        if not self.model.use_kps:
            raise ModelPackError(f"{entry.file}: detector gives no keypoints; alignment needs them")
        self.model.input_mean, self.model.input_std = entry.mean, entry.std
        self.model.det_thresh = threshold
        fixed = entry.input_size
        self.fixed = fixed is not None  # a graph with a fixed input ignores a requested size
        self.input_size = (fixed[1], fixed[0]) if fixed else (det_size, det_size)

    @property
    def provider(self) -> str:
        return self.loaded.provider

    def detect(self, frame: np.ndarray, size: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(boxes Nx4, scores N, keypoints Nx5x2), float32, in frame pixels; ``size`` 0: the configured input."""
        input_size = (size, size) if size and not self.fixed else self.input_size
        dets, kpss = self.model.detect(frame, input_size=input_size)
        if dets is None or len(dets) == 0:
            return np.zeros((0, 4), np.float32), np.zeros((0,), np.float32), np.zeros((0, 5, 2), np.float32)
        return dets[:, :4].astype(np.float32), dets[:, 4].astype(np.float32), kpss.astype(np.float32)
