"""``FaceAnalyzer``: the one object the layers above call to look at faces.

``analyze`` costs one detection plus cheap per-face measurements; the embedding and
the liveness models run only when asked (``embed``, ``liveness``), so a frame that
fails a gate never pays for them.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from pathlib import Path

import cv2
import numpy as np

from kiosk.config import CaptureProfile, RuntimeSettings, Settings
from kiosk.engine import quality
from kiosk.engine.align import align_face
from kiosk.engine.detector import FaceDetector
from kiosk.engine.embedder import FaceEmbedder
from kiosk.engine.images import as_bgr, load_image
from kiosk.engine.liveness import LivenessChecker
from kiosk.engine.pack import ModelPack
from kiosk.engine.pose import estimate_pose
from kiosk.engine.types import FaceObservation
from kiosk.errors import FaceNotFoundError, MultipleFacesError

log = logging.getLogger(__name__)


def pad_for_detection(frame: np.ndarray) -> tuple[np.ndarray, tuple[int, int]]:
    """The frame centred on a mid-grey canvas twice its size, and its offset there."""
    h, w = frame.shape[:2]
    padded = cv2.copyMakeBorder(frame, h // 2, h // 2, w // 2, w // 2, cv2.BORDER_CONSTANT, value=(127, 127, 127))
    return padded, (w // 2, h // 2)


class FaceAnalyzer:
    def __init__(self, pack: ModelPack, runtime: RuntimeSettings, default_gates: CaptureProfile) -> None:
        started = time.perf_counter()
        self.pack = pack
        self.default_gates = default_gates
        threads = runtime.intra_op_threads
        self.detector = FaceDetector(pack, runtime.providers, threads, runtime.det_size, runtime.det_threshold)
        self.embedder = FaceEmbedder(pack, runtime.providers, threads)
        self.liveness_checker = LivenessChecker(pack, runtime.providers, threads)
        self._warm_up()
        self.load_seconds = time.perf_counter() - started
        log.info("analyzer ready in %.2f s on %s", self.load_seconds, self.providers)

    @classmethod
    def from_settings(cls, pack: ModelPack, settings: Settings) -> FaceAnalyzer:
        return cls(pack, settings.runtime, settings.login)

    @property
    def embedding_size(self) -> int:
        return self.pack.embedding_size

    @property
    def providers(self) -> dict[str, str]:
        """Role -> the execution provider each model actually runs on."""
        out = {"detector": self.detector.provider, "recognizer": self.embedder.provider}
        for i, provider in enumerate(self.liveness_checker.providers):
            out[f"liveness[{i}]"] = provider
        return out

    def _warm_up(self) -> None:
        """First runs allocate buffers and pick kernels; pay that at load, not on the first visitor."""
        blank = np.full((480, 640, 3), 127, np.uint8)
        self.detector.detect(blank)
        self.embedder.embed(np.full((self.embedder.crop_size, self.embedder.crop_size, 3), 127, np.uint8))
        if self.liveness_checker.available:
            self.liveness_checker.score(blank, np.array([240, 160, 400, 360], np.float32))

    def analyze(self, frame: np.ndarray, gates: CaptureProfile | None = None) -> list[FaceObservation]:
        """Every face in the frame, largest first, measured and graded against ``gates``."""
        frame = as_bgr(frame)
        gates = gates or self.default_gates
        boxes, scores, keypoints = self.detector.detect(frame)
        observations = []
        for box, score, kps in zip(boxes, scores, keypoints):
            aligned = align_face(frame, kps, self.embedder.crop_size)
            pose = estimate_pose(kps)
            obs = FaceObservation(
                box=box,
                keypoints=kps,
                det_score=float(score),
                size=float(max(box[2] - box[0], box[3] - box[1])),
                yaw=pose.yaw,
                pitch=pose.pitch,
                roll=pose.roll,
                sharpness=quality.sharpness(aligned),
                exposure=quality.exposure(aligned),
                aligned=aligned,
            )
            observations.append(quality.assess(obs, gates))
        observations.sort(key=lambda o: o.area, reverse=True)
        return observations

    def assess(self, obs: FaceObservation, gates: CaptureProfile) -> FaceObservation:
        return quality.assess(obs, gates)

    def embed(self, frame: np.ndarray, obs: FaceObservation) -> np.ndarray:
        if obs.aligned is None:
            obs.aligned = align_face(as_bgr(frame), obs.keypoints, self.embedder.crop_size)
        obs.embedding = self.embedder.embed(obs.aligned)
        return obs.embedding

    def liveness(self, frame: np.ndarray, obs: FaceObservation) -> float:
        """Probability the face is live; 1.0 when the pack has no liveness model."""
        obs.liveness = self.liveness_checker.score(as_bgr(frame), obs.box)
        return obs.liveness

    def single_face(self, frame: np.ndarray, policy: str = "single", gates: CaptureProfile | None = None) -> FaceObservation:
        """The one face to use: exactly one (``single``) or the largest (``largest``)."""
        faces = self.analyze(frame, gates)
        if not faces:
            raise FaceNotFoundError("no face found")
        if len(faces) > 1 and policy == "single":
            raise MultipleFacesError(f"{len(faces)} faces found; exactly one person please")
        return faces[0]

    def embed_image(self, image: str | Path | np.ndarray, policy: str = "largest") -> FaceObservation:
        """Load a photo, pick its face by ``policy``, and embed it; errors name the file."""
        frame = load_image(image) if isinstance(image, (str, Path)) else as_bgr(image)
        with _naming(image):
            return self._embed_photo_face(frame, policy)

    def _embed_photo_face(self, frame: np.ndarray, policy: str) -> FaceObservation:
        used, obs = self.photo_face(frame, policy)
        self.embed(used, obs)
        if used is not frame:
            dx, dy = (used.shape[1] - frame.shape[1]) // 2, (used.shape[0] - frame.shape[0]) // 2
            obs.box = obs.box - np.array([dx, dy, dx, dy], np.float32)
            obs.keypoints = obs.keypoints - np.array([dx, dy], np.float32)
        return obs

    def photo_face(self, frame: np.ndarray, policy: str = "largest") -> tuple[np.ndarray, FaceObservation]:
        """The face of a photo and the frame it was found in, in that frame's pixels.

        A tightly cropped face (passport-style or pre-aligned) fills the whole picture and
        escapes the detector; it is given a border and looked for again, and the padded
        frame is returned with it.
        """
        try:
            return frame, self.single_face(frame, policy)
        except FaceNotFoundError:
            padded, _ = pad_for_detection(frame)
            return padded, self.single_face(padded, policy)

    def liveness_image(self, image: str | Path | np.ndarray) -> float:
        """The passive live score of a photo's largest face; errors name the file."""
        frame = load_image(image) if isinstance(image, (str, Path)) else as_bgr(image)
        with _naming(image):
            used, obs = self.photo_face(frame, "largest")
        return self.liveness(used, obs)


@contextmanager
def _naming(image):
    """A face error about a photo given by path starts with that path."""
    try:
        yield
    except (FaceNotFoundError, MultipleFacesError) as exc:
        if isinstance(image, (str, Path)):
            exc.message = f"{image}: {exc.message}"
            exc.args = (exc.message,)
        raise
