"""``FaceAnalyzer``: the one object the layers above call to look at faces.

``analyze`` costs one detection plus cheap per-face measurements; the embedding and
the liveness models run only when asked (``embed``, ``liveness``), so a frame that
fails a gate never pays for them.

Every model call that raises comes out as a ``ModelFault`` naming the model; the
caller hands it to ``recover``, which rebuilds that model (see ``recovery.py``).
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

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
from kiosk.engine.providers import CPU
from kiosk.engine.recovery import REBUILDS_BEFORE_CPU, ModelFault, Recovery, RecoveryAction
from kiosk.engine.sheet_frame import frame_cue
from kiosk.engine.types import FaceObservation
from kiosk.errors import FaceNotFoundError, KioskError, ModelPackError, MultipleFacesError

log = logging.getLogger(__name__)
T = TypeVar("T")

DETECTOR, RECOGNIZER, LIVENESS = "detector", "recognizer", "liveness"
_ATTRIBUTE = {DETECTOR: "detector", RECOGNIZER: "embedder", LIVENESS: "liveness_checker"}  # role -> the model's attribute


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
        self.preferred = list(runtime.providers)
        threads = runtime.intra_op_threads
        self._builders: dict[str, Callable[[list[str]], Any]] = {
            DETECTOR: lambda providers: FaceDetector(pack, providers, threads, runtime.det_size, runtime.det_threshold),
            RECOGNIZER: lambda providers: FaceEmbedder(pack, providers, threads),
            LIVENESS: lambda providers: LivenessChecker(pack, providers, threads),
        }
        self.detector: FaceDetector = self._builders[DETECTOR](self.preferred)
        self.embedder: FaceEmbedder = self._builders[RECOGNIZER](self.preferred)
        self.liveness_checker: LivenessChecker = self._builders[LIVENESS](self.preferred)
        self._failures = {DETECTOR: 0, RECOGNIZER: 0, LIVENESS: 0}
        self._moved: dict[str, str] = {}  # role -> why it was moved to CPU while running
        self._warm_up()
        self.load_seconds = time.perf_counter() - started
        log.info("analyzer ready in %.2f s on %s", self.load_seconds, self.providers)

    @classmethod
    def from_settings(cls, pack: ModelPack, settings: Settings) -> FaceAnalyzer:
        return cls(pack, settings.runtime, settings.login)

    def use_liveness(self, pack: ModelPack, threads: int) -> None:
        """Switch to ``pack``'s passive check (a taught variant of the same pack) without reloading the other models.

        Built where the current check was (moved to CPU after faults stays there); a later fault rebuilds the new one.
        """
        self.liveness_checker = LivenessChecker(pack, [CPU] if LIVENESS in self._moved else self.preferred, threads)
        self._builders[LIVENESS] = lambda providers: LivenessChecker(pack, providers, threads)
        self.pack = pack

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

    @property
    def fallbacks(self) -> dict[str, str]:
        """Role -> why that model does not run on the provider asked for (only those that do not)."""
        loaded = {DETECTOR: [self.detector.loaded], RECOGNIZER: [self.embedder.loaded]}
        loaded[LIVENESS] = [session for _, session in self.liveness_checker.models]
        out = {}
        for role, sessions in loaded.items():
            reasons = [s.fallback for s in sessions if s.fallback]
            if role in self._moved:
                out[role] = self._moved[role]
            elif reasons:
                out[role] = reasons[0]
        return out

    def _run(self, role: str, fn: Callable[..., T], *args: Any) -> T:
        """One model call; a failure becomes a ``ModelFault`` naming the model, a success clears its count."""
        try:
            value = fn(*args)
        except KioskError:
            raise
        except Exception as exc:  # noqa: BLE001 - onnxruntime raises untyped errors; the caller recovers
            raise ModelFault(role, self._provider_of(role), exc) from exc
        self._failures[role] = 0
        return value

    def _provider_of(self, role: str) -> str:
        if role == LIVENESS:
            return (self.liveness_checker.providers or [CPU])[0]
        return self.detector.provider if role == DETECTOR else self.embedder.provider

    def recover(self, fault: ModelFault) -> Recovery:
        """Rebuild the failed model: on its provider at first, on CPU once it keeps failing."""
        role = fault.role
        self._failures[role] += 1
        failures = self._failures[role]
        to_cpu = fault.provider != CPU and failures > REBUILDS_BEFORE_CPU
        try:
            rebuilt = self._builders[role]([CPU] if to_cpu else self.preferred)
        except Exception as exc:  # noqa: BLE001 - whatever the rebuild raises, the old model stays and the caller goes on
            log.error("rebuilding the %s model failed: %s", role, exc)
            return Recovery(role, RecoveryAction.FAILED, self._provider_of(role), failures)
        setattr(self, _ATTRIBUTE[role], rebuilt)
        if to_cpu:
            self._moved[role] = f"moved to CPU after {failures} failures on {fault.provider}: {fault.error_type}"
            self._failures[role] = 0
        recovery = Recovery(role, RecoveryAction.MOVED_TO_CPU if to_cpu else RecoveryAction.REBUILT, self._provider_of(role), failures)
        log.warning("%s", recovery.describe())
        return recovery

    def _warm_up(self) -> None:
        """First runs allocate buffers and pick kernels; pay that at load, not on the first visitor.

        A GPU that accepts a session and then fails its first run (an unsupported
        device, a broken driver) is recovered from here as in service, so the kiosk
        starts on CPU rather than not at all.
        """
        blank = np.full((480, 640, 3), 127, np.uint8)
        runs = {
            DETECTOR: lambda: self.detector.detect(blank),
            RECOGNIZER: lambda: self.embedder.embed(np.full((self.embedder.crop_size, self.embedder.crop_size, 3), 127, np.uint8)),
            LIVENESS: lambda: self.liveness_checker.score(blank, np.array([240, 160, 400, 360], np.float32)),
        }
        for role, run in runs.items():
            while True:
                try:
                    self._run(role, run)
                    break
                except ModelFault as fault:
                    if fault.provider == CPU or self.recover(fault).action == RecoveryAction.FAILED:
                        raise ModelPackError(f"cannot run the {role} model: {fault}") from None

    def analyze(self, frame: np.ndarray, gates: CaptureProfile | None = None) -> list[FaceObservation]:
        """Every face in the frame, largest first, measured and graded against ``gates``."""
        frame = as_bgr(frame)
        # A capture's profile picks its detector size (login 320); photos, the look-alike and
        # other callers without gates keep runtime.det_size, whose small faces they need.
        det_size = gates.det_size if gates is not None else 0
        gates = gates or self.default_gates
        boxes, scores, keypoints = self._run(DETECTOR, self.detector.detect, frame, det_size)
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

    def embed(self, frame: np.ndarray, obs: FaceObservation) -> np.ndarray:
        if obs.aligned is None:
            obs.aligned = align_face(as_bgr(frame), obs.keypoints, self.embedder.crop_size)
        obs.embedding = self._run(RECOGNIZER, self.embedder.embed, obs.aligned)
        return obs.embedding

    def liveness(self, frame: np.ndarray, obs: FaceObservation, gates: CaptureProfile | None = None, surroundings: bool = True) -> float:
        """Probability the face is live; 1.0 when the pack has no liveness model.

        With the profile's ``frame_cue`` on, a face enclosed by straight edges on three sides
        (a held print or phone, ``sheet_frame``) scores 0: refused as a spoof whatever the
        models say. The cue runs here, on the frames that passed the cheap gates only.
        """
        frame = as_bgr(frame)
        obs.liveness = self._run(LIVENESS, self.liveness_checker.score, frame, obs.box, surroundings)
        if (gates or self.default_gates).frame_cue:
            obs.frame_cue = frame_cue(frame, obs.box, obs.keypoints)
            if obs.frame_cue.encloses:
                log.info("face refused as a spoof: %s (passive score %.3f)", obs.frame_cue.describe(), obs.liveness)
                obs.liveness = 0.0
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

    def liveness_image(self, image: str | Path | np.ndarray, gates: CaptureProfile | None = None) -> float:
        """The live score of a photo's largest face, as a capture with ``gates`` scores it; errors name the file.

        A tight crop padded for detection has no surroundings, and the grey border drawn
        around it would look like a frame: the enclosing-frame cue is not run on it, and a
        fusion's scene cues get their neutral value.
        """
        frame = load_image(image) if isinstance(image, (str, Path)) else as_bgr(image)
        gates = gates or self.default_gates
        with _naming(image):
            used, obs = self.photo_face(frame, "largest")
        if used is not frame:
            gates = dataclasses.replace(gates, frame_cue=False)
        return self.liveness(used, obs, gates, surroundings=used is frame)


@contextmanager
def _naming(image: str | Path | np.ndarray) -> Iterator[None]:
    """A face error about a photo given by path starts with that path."""
    try:
        yield
    except (FaceNotFoundError, MultipleFacesError) as exc:
        if isinstance(image, (str, Path)):
            exc.message = f"{image}: {exc.message}"
            exc.args = (exc.message,)
        raise
