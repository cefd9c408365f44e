"""Every candidate liveness feature of a photo, computed once and cached, for training and measuring a fusion.

Training a fusion (``pad_train``) tries many model runs (each liveness model at several crop
scales) and scene cues on the same photos, fold after fold. Running the models is the slow part
(a detector and 14 liveness runs per photo, about 0.1 s on this kind of CPU), so each photo is
measured once into a ``CandidateRow`` and the folds only index a matrix. The cache is a plain
``.npz`` file keyed by the pack's liveness hashes and the image's path, size and mtime: a changed
model or photo is measured again, nothing else is.

A sign-in frame needs only the features its pack's fusion names, computed by
``LivenessChecker.features`` (``frame_features`` below is that call). Teaching the kiosk its camera
(``site_liveness``) stores ``trainable_names`` of each taught frame through ``frame_features`` and
measures the development photos with ``measure_rows``: one definition of a frame's features.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kiosk.engine.analyzer import FaceAnalyzer, pad_for_detection
from kiosk.engine.images import load_image
from kiosk.engine.liveness import LivenessChecker
from kiosk.engine.pad_fusion import candidate_runs, embedding_features, run_features
from kiosk.engine.scene_cues import CUES, NEUTRAL, RING_BRIGHTNESS, ring_brightness
from kiosk.engine.sheet_frame import frame_cue
from kiosk.errors import FaceNotFoundError, ImageError

# Scene cues measured beside the model runs (docs/capture.md, issue 20): the enclosing-frame cue's four
# side covers, the largest other face's area relative to the presented one, and the brightness of a
# ring around the face relative to the face (``scene_cues``, the one a fusion may use: the others did
# not help held out by source). ``nan`` where a photo was padded for detection (a tight crop has no
# surroundings), except the ring's, which gets the neutral value the kiosk gives it there.
SCENE_FEATURES = ("scene:cover_left", "scene:cover_right", "scene:cover_top", "scene:cover_bottom", "scene:second_face", RING_BRIGHTNESS)
CACHE_VERSION = 3  # 3: the embedding dimensions joined the candidates (older caches are measured again)
SAVE_EVERY = 25  # photos between cache saves: a build killed outright (no finally) measures at most this many again


def frame_features(
    checker: LivenessChecker, frame: np.ndarray, box: np.ndarray, names: tuple[str, ...], surroundings: bool = True
) -> np.ndarray:
    """The liveness feature vector of one face in one BGR frame, in the order of ``names``.

    This is what the kiosk computes on a sign-in frame for its fusion, and what a teaching screen
    stores per frame instead of the image. ``names`` are fixed by the pack: the fusion model's
    ``features`` in its manifest (``pack.liveness_fusion.features``), each ``<liveness file>@<crop
    scale>[:<class>]`` (``pad_fusion.run_features`` lists a run's names). ``surroundings`` False for a
    tight crop padded for detection: its scene cues get their neutral value, as ``photo_candidates`` gives.
    """
    return checker.features(frame, box, names, surroundings)


def trainable_names(checker: LivenessChecker) -> tuple[str, ...]:
    """The candidates a fusion may be trained on: every model run's features and the kiosk's scene cues.

    What a teaching screen stores per frame (``frame_features(checker, frame, box, trainable_names(checker))``)
    when it wants the runs chosen again; ``pack.liveness_fusion.features`` when it keeps the pack's runs.
    """
    return tuple(n for n in candidate_names(checker) if n not in SCENE_FEATURES or n in CUES)


def candidate_names(checker: LivenessChecker) -> tuple[str, ...]:
    """Every model-run feature a fusion may select from, each tappable run's embedding dimensions, then the scene cues measured (``SCENE_FEATURES``).

    The embeddings come from the same runs as the class features (``LivenessChecker.run``): measuring
    them costs no model run. They are not selected on; ``pad_train.fit`` reads the selected runs' own.
    """
    runs = candidate_runs(checker)
    return (
        tuple(f for run in runs for f in run_features(checker, *run))
        + tuple(f for run in runs for f in embedding_features(checker, *run))
        + SCENE_FEATURES
    )


def photo_candidates(analyzer: FaceAnalyzer, image: Path, names: tuple[str, ...]) -> np.ndarray:
    """All ``names`` (``candidate_names``) of a photo's largest face; a tight crop is padded and gets ``nan`` scene cues."""
    frame = load_image(image)
    faces = analyzer.analyze(frame)
    padded = False
    if not faces:
        frame, _ = pad_for_detection(frame)
        faces = analyzer.analyze(frame)
        padded = True
    if not faces:
        raise FaceNotFoundError(f"{image}: no face found")
    face = faces[0]
    models = tuple(n for n in names if not n.startswith("scene:"))
    values = list(analyzer.liveness_checker.features(frame, face.box, models))
    if padded:
        scene = [math.nan] * (len(SCENE_FEATURES) - 1) + [NEUTRAL]
    else:
        cue = frame_cue(frame, face.box, face.keypoints)
        second = max((f.area for f in faces[1:]), default=0.0) / max(1.0, face.area)
        scene = [*cue.cover, second, ring_brightness(frame, face.box)]
    return np.asarray(values + scene[: len(names) - len(models)], np.float32)


@dataclass(frozen=True)
class CandidateRow:
    """One labelled photo's candidate features (``names`` of its table), its label and where it comes from."""

    image: str
    live: bool
    source: str
    values: np.ndarray


def _key(path: Path, pack_key: str) -> str:
    stat = path.stat()
    return hashlib.sha1(f"{pack_key}|{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()


def pack_key(checker: LivenessChecker, names: tuple[str, ...]) -> str:
    """What the cached features depend on: the liveness models' hashes and the feature names."""
    parts = [e.sha256 for e, _ in checker.models] + list(names) + [str(CACHE_VERSION)]
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:16]


class FeatureCache:
    """``image path -> candidate vector`` stored in one ``.npz`` per pack (``<dir>/<pack key>.npz``); saved by ``save``."""

    def __init__(self, folder: Path | None, key: str) -> None:
        self.path = Path(folder) / f"pad-features-{key}.npz" if folder else None
        self.key = key
        self.data: dict[str, np.ndarray] = {}
        if self.path and self.path.is_file():
            with np.load(self.path) as stored:
                self.data = {k: stored[k] for k in stored.files}
        self.dirty = False

    def get(self, path: Path, compute: Callable[[Path], np.ndarray]) -> np.ndarray:
        key = _key(path, self.key)
        if key not in self.data:
            self.data[key] = compute(path)
            self.dirty = True
        return self.data[key]

    def save(self) -> None:
        if self.path and self.dirty:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp.npz")
            np.savez(tmp, **self.data)  # type: ignore[arg-type]  # numpy's stub takes a ** key for allow_pickle; these are feature keys
            tmp.replace(self.path)
            self.dirty = False


def measure_rows(
    analyzer: FaceAnalyzer,
    items: Sequence[tuple[Path, bool, str]],
    cache_dir: Path | None,
    progress: Callable[[int, int, str], None] | None = None,
    skipped: list[tuple[str, str]] | None = None,
) -> tuple[tuple[str, ...], list[CandidateRow]]:
    """Candidate features of every ``(image path, live, source)``; photos without a face go to ``skipped``."""
    names = candidate_names(analyzer.liveness_checker)
    cache = FeatureCache(cache_dir, pack_key(analyzer.liveness_checker, names))
    rows = []
    try:
        for done, (path, live, source) in enumerate(items, start=1):
            try:
                values = cache.get(path, lambda p: photo_candidates(analyzer, p, names))
                rows.append(CandidateRow(str(path), live, source, values))
            except (FaceNotFoundError, ImageError) as exc:
                if skipped is not None:
                    skipped.append((str(path), exc.message))
            if progress:
                progress(done, len(items), str(path))
            if done % SAVE_EVERY == 0:
                cache.save()
    finally:
        cache.save()
    return names, rows
