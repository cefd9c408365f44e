"""Teaching the passive check this kiosk's camera: feature rows, the development rows, the taught fusion.

Domain shift (this camera, this light, this room) is what breaks a passive check, so the
kiosk may retrain its ``liveness_fusion`` on the shared development attacks plus frames the
operator recorded in front of its own camera (``kiosk/flows/teach.py``). What is kept of a
frame is its feature vector, never the image: every feature a fusion may be trained on
(``pad_features.trainable_names``: each candidate run's class log-ratios and the kiosk's scene
cues), computed by ``pad_features`` exactly as ``kiosk liveness train`` computes them.

A taught fusion is trained by ``pad_train.train_fusion``, the product's one training path
(``fit_site_fusion``): the same run selection held out by source, the same thresholds and
adaptive band as a pack trained from the shell, calibrated on this camera's own real faces.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np

from kiosk import paths
from kiosk.engine import pad_features
from kiosk.engine.csv_rows import read_rows
from kiosk.engine.liveness import LivenessChecker
from kiosk.engine.pack import FeatureKind, ModelPack, PackFile, parse_feature
from kiosk.engine.pad_eval import LIVE, TARGET_BPCER, apcer, bpcer, bpcer_threshold, read_labels
from kiosk.engine.pad_fusion import SELECTED_RUNS, fit_logistic, onnx_bytes, read_logistic
from kiosk.engine.pad_train import ADAPTIVE_REFUSE, ADAPTIVE_TURN, HeldOut, TrainedFusion, columns, site_scores, source_figures, train_fusion
from kiosk.errors import KioskError
from kiosk.fsutil import atomic_write

DEV_DATA_ENV = "KIOSK_LIVENESS_DEV_DATA"  # a folder holding the DEV_LABELS below (default ../shared/faces)
DEV_LABELS = ("spoof-context/labels.csv", "spoof-dev/print-nuaa/labels.csv", "spoof-dev/recapture-crops/labels.csv")
SITE = "site"  # the source of this kiosk's own samples: held out as one source, like any other room


class DevDataMissing(KioskError):
    """The shared development attacks are not on this machine (an installed kiosk): teaching may go on with the site alone."""


class TeachKind(StrEnum):
    """What the operator held up (or that it was a real face) while a sample was recorded."""

    PHONE = "phone"
    TABLET = "tablet"
    PRINT = "print"
    REAL = "real"

    @property
    def live(self) -> bool:
        return self is TeachKind.REAL


ATTACK_KINDS = (TeachKind.PHONE, TeachKind.TABLET, TeachKind.PRINT)


@dataclass(frozen=True)
class FeatureRows:
    """Labelled liveness feature vectors: ``x[i]`` of the features ``names``, live or not, from ``sources[i]``."""

    names: tuple[str, ...]
    x: np.ndarray  # [N, F] float32
    live: np.ndarray  # [N] bool
    sources: np.ndarray  # [N] str: a labels file's source, or SITE
    groups: np.ndarray  # [N] str: rows that must stay on one side of a fold (a photo, a recording session)

    def __len__(self) -> int:
        return len(self.x)

    def subset(self, mask: np.ndarray) -> FeatureRows:
        return FeatureRows(self.names, self.x[mask], self.live[mask], self.sources[mask], self.groups[mask])

    def columns(self, names: Sequence[str]) -> np.ndarray:
        """The columns of ``names``, in that order; a name these rows lack is an error naming it."""
        index = {name: i for i, name in enumerate(self.names)}
        missing = [n for n in names if n not in index]
        if missing:
            raise KioskError(
                f"the liveness samples lack the feature(s) {', '.join(missing)}",
                hint="they were recorded with another model pack or an older kiosk; clear them with "
                "`kiosk liveness site-samples --clear` and teach again",
            )
        return self.x[:, [index[n] for n in names]]

    @staticmethod
    def join(parts: Sequence[FeatureRows]) -> FeatureRows:
        names = parts[0].names
        return FeatureRows(
            names,
            np.vstack([p.columns(names) for p in parts]).astype(np.float32),
            np.concatenate([p.live for p in parts]),
            np.concatenate([p.sources for p in parts]),
            np.concatenate([p.groups for p in parts]),
        )


def largest_face_features(analyzer: Any, frame: np.ndarray) -> tuple[tuple[str, ...], np.ndarray]:
    """Every trainable feature (``pad_features.trainable_names``) of a frame's largest face; no face raises.

    The face is found as ``kiosk liveness eval`` finds a photo's; a tight crop padded for
    detection has no surroundings, so its scene cues get their neutral value.
    """
    checker = analyzer.liveness_checker
    names = pad_features.trainable_names(checker)
    used, obs = analyzer.photo_face(frame, "largest")
    vector = pad_features.frame_features(checker, used, obs.box, names, surroundings=used is frame)
    return names, np.asarray(vector, np.float32)


# --- the development rows ------------------------------------------------------------------


def dev_label_files(root: Path | None = None) -> list[Path]:
    """The shared development labels; missing data is an error naming the folder and how to point at it."""
    base = root or Path(os.environ.get(DEV_DATA_ENV) or paths.resources_dir().parent.parent / "shared" / "faces")
    files = [base / name for name in DEV_LABELS]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise DevDataMissing(
            f"the liveness development data is not there: {', '.join(missing)} not found",
            hint=f"set {DEV_DATA_ENV} to the folder holding spoof-context/ and spoof-dev/, or copy a computed "
            "liveness-dev-*.npz into the kiosk's cache folder",
        )
    return files


def dev_features(
    analyzer: Any, label_files: Sequence[Path] | None, cache_dir: Path, progress: Callable[[int, int], None] | None = None
) -> FeatureRows:
    """Every candidate feature of every labelled photo, computed once and cached by models and labels.

    The cache key is the liveness models' hashes, the feature names and the labels files'
    bytes, so another pack or an edited labels file computes afresh. Unreadable photos and
    photos without a face are left out. ``label_files`` None: the shared development data,
    or, where it is not (an installed kiosk), a cache computed for these models elsewhere.
    """
    checker = analyzer.liveness_checker
    names = pad_features.trainable_names(checker)
    models = np.asarray(sorted(entry.sha256 for entry, _ in checker.models))
    if label_files is None:
        try:
            label_files = dev_label_files()
        except KioskError:
            cached = _cached_for(Path(cache_dir), models, names)
            if cached is None:
                raise
            return cached
    digest = hashlib.sha256("\n".join(names).encode())
    for sha in models:
        digest.update(str(sha).encode())
    for path in label_files:
        digest.update(Path(path).read_bytes())
    cache = Path(cache_dir) / f"liveness-dev-{digest.hexdigest()[:16]}.npz"
    if cache.is_file():
        return _load_rows(cache, names)
    labelled = [(Path(path).parent / image, label == LIVE, source, image) for path in label_files for image, label, source in _labelled(Path(path))]
    report = (lambda done, total, _path: progress(done, total)) if progress is not None else None
    measured, found = pad_features.measure_rows(analyzer, [item[:3] for item in labelled], Path(cache_dir), report)
    x = columns(measured, np.asarray([r.values for r in found], np.float32).reshape(-1, len(measured)), names)
    group_of = {str(path): f"{source}/{image}" for path, _live, source, image in labelled}
    groups = [group_of[r.image] for r in found]
    rows = FeatureRows(names, x.astype(np.float32), np.asarray([r.live for r in found], bool), np.asarray([r.source for r in found]), np.asarray(groups))
    _save_rows(cache, rows, models)
    return rows


def _labelled(path: Path) -> list[tuple[str, str, str]]:
    """(image, label, source) of each usable row; the source column, else the labels file's folder."""
    sources = {line: (row.get("source") or "").strip() for row, line in read_rows(path, ("image", "label"), "labels", hint="image,label[,attack,source]")}
    return [(r.image, str(r.label), sources.get(r.line) or path.parent.name) for r in read_labels(path) if not r.problem]


def _save_rows(target: Path, rows: FeatureRows, models: np.ndarray) -> None:
    buffer = io.BytesIO()
    np.savez(buffer, names=np.asarray(rows.names), x=rows.x, live=rows.live, sources=rows.sources, groups=rows.groups, models=models)
    atomic_write(target, buffer.getvalue(), mode=0o644)


def _load_rows(path: Path, names: tuple[str, ...]) -> FeatureRows:
    with np.load(path, allow_pickle=False) as data:
        rows = FeatureRows(tuple(str(n) for n in data["names"]), data["x"], data["live"], data["sources"].astype(str), data["groups"].astype(str))
    return FeatureRows(names, rows.columns(names), rows.live, rows.sources, rows.groups)


def _cached_for(cache_dir: Path, models: np.ndarray, names: tuple[str, ...]) -> FeatureRows | None:
    """The newest cached development rows computed with these liveness models, if any."""
    for path in sorted(cache_dir.glob("liveness-dev-*.npz"), key=lambda p: p.stat().st_mtime, reverse=True):
        with np.load(path, allow_pickle=False) as data:
            usable = "models" in data and np.array_equal(data["models"].astype(str), models.astype(str)) and set(names) <= {str(n) for n in data["names"]}
        if usable:
            return _load_rows(path, names)
    return None


# --- scoring from stored features ------------------------------------------------------------


def class_feature_of(name: str, entry: PackFile) -> bool:
    """Whether ``name`` is a class feature (not an embedding dimension) of ``entry``'s own run, at its crop scale."""
    p = parse_feature(name)
    return p is not None and p.kind is not FeatureKind.EMBEDDING and p.file == entry.file and math.isclose(p.scale, entry.crop_scale or 1.0)


def check_features(pack: ModelPack, checker: LivenessChecker, names: Sequence[str]) -> tuple[str, ...]:
    """The features among ``names`` that ``pack``'s passive check reads: its fusion's, else each model's at its crop scale."""
    if checker.fusion is not None:
        return tuple(checker.fusion[0].features)
    return tuple(
        n for entry in pack.liveness for n in names if class_feature_of(n, entry)
    )


def pack_scores(pack: ModelPack, checker: LivenessChecker, rows: FeatureRows) -> np.ndarray:
    """What ``pack``'s passive check scores each row, from its stored features (no image needed).

    With a fusion model, that model (run by ONNX Runtime) on the features it names; else the
    mean of each liveness model's live probability at its own crop scale, rebuilt from the
    stored class log-ratios. The enclosing-frame cue is not in the features: it applies on
    top, before and after teaching alike.
    """
    if checker.fusion is not None:
        entry, loaded = checker.fusion
        session = loaded.session
        x = rows.columns(entry.features).astype(np.float32)
        return np.ravel(session.run(None, {session.get_inputs()[0].name: x})[0]).astype(np.float64)
    probabilities = []
    for entry in pack.liveness:
        names = [n for n in rows.names if class_feature_of(n, entry)]
        if not names:
            raise KioskError(f"the liveness samples have no feature of {entry.file} at its crop scale {entry.crop_scale or 1.0:g}")
        ratios = rows.columns(names).astype(np.float64)
        if len(names) == 1 and (only := parse_feature(names[0])) is not None and only.kind is FeatureKind.LIVE_LOGIT:
            probabilities.append(1.0 / (1.0 + np.exp(-ratios[:, 0])))
        else:
            probabilities.append(1.0 / (1.0 + np.exp(-ratios).sum(axis=1)))
    return np.mean(probabilities, axis=0) if probabilities else np.ones(len(rows))


@dataclass(frozen=True)
class Figures:
    """APCER and BPCER of one check at one threshold on held-back site samples."""

    threshold: float
    apcer: float
    bpcer: float
    live: int
    spoof: int

    @classmethod
    def of(cls, scores: np.ndarray, live: np.ndarray, threshold: float) -> Figures:
        return cls(float(threshold), apcer(scores[~live], threshold), bpcer(scores[live], threshold), int(live.sum()), int((~live).sum()))

    def no_worse_than(self, other: Figures) -> bool:
        return self.apcer <= other.apcer + 1e-12 and self.bpcer <= other.bpcer + 1e-12

    def describe(self) -> str:
        return f"APCER {self.apcer:.1%} BPCER {self.bpcer:.1%} at {self.threshold:.2f}"


# --- the taught fusion ---------------------------------------------------------------------


def fit_site_fusion(dev: FeatureRows, site: FeatureRows, runs: int = SELECTED_RUNS) -> TrainedFusion:
    """Train the fusion on ``dev`` + ``site`` with ``pad_train.train_fusion``, the site as one more source.

    The site rows carry the source ``SITE``: train_fusion selects the runs held out by source (the
    site is one more room, left out whole), and calibrates the thresholds (standard and the
    adaptive band) on this camera's own real faces, each scored by a fit that did not see its
    block of frames (``pad_train.site_scores``). Measured (docs/capture.md): the pooled rule, set by
    other rooms' faces, put the threshold near 0.3 and accepted 32-55% of some rooms' attacks that
    the taught scores separated. The site rows are not weighted up.
    """
    if not site.live.any() or site.live.all():
        raise KioskError("teaching needs both real faces and attacks", hint="record with Teach attacks and Teach real faces")
    rows = FeatureRows.join([dev, site]) if len(dev) else site
    return train_fusion(rows.names, rows.x, rows.live, rows.sources, runs, calibrate_on=SITE if len(dev) else None)


def fusion_scores(trained: TrainedFusion, rows: FeatureRows) -> np.ndarray:
    """The trained fusion's live probability of each row, from its stored features."""
    return trained.model.probability(rows.columns(trained.features).astype(np.float64))


# --- this camera only ------------------------------------------------------------------------

# How far a site-only fit may move from the current check: fit_logistic's c, its Gaussian prior
# centred on the current check's weights. Chosen held out by source on the 8 spoof-context sources
# (scripts/teach_figures.py --site-only, docs/capture.md): 1.0 was chosen for 7 of them, 10 for one.
SITE_ONLY_C = 1.0


def prior_weights(pack: ModelPack, checker: LivenessChecker, rows: FeatureRows, features: Sequence[str]) -> np.ndarray:
    """Weights on ``features`` whose logistic reproduces the current check's scores on ``rows`` as closely as a logistic can.

    A fusion pack's own weights on its raw inputs (read from its file: with embeddings it has 520
    inputs, more than a minute of frames could pin down); for a pack's mean of model probabilities,
    least squares on its log-odds, the closest linear stand-in. It reads no label.
    """
    if checker.fusion is not None and tuple(features) == tuple(checker.fusion[0].features):
        current = read_logistic(pack.path(checker.fusion[0]))
        return np.asarray(current.weights / current.std)
    p = np.clip(pack_scores(pack, checker, rows), 1e-4, 1 - 1e-4)
    design = np.hstack([rows.columns(features).astype(np.float64), np.ones((len(rows), 1))])
    solution, *_ = np.linalg.lstsq(design, np.log(p / (1 - p)), rcond=None)
    return np.asarray(solution[:-1])


def fit_site_only(pack: ModelPack, checker: LivenessChecker, site: FeatureRows, c: float = SITE_ONLY_C) -> TrainedFusion:
    """A fusion from this camera's samples alone, for a kiosk without the development data (never shipped).

    A few dozen rows cannot choose model runs nor carry a fit from zero (measured: up to 49% of a
    room's later attacks accepted), so the fit keeps the current check's features and is pulled
    toward the current check (``prior_weights``) rather than toward zero. ``held_out`` holds each
    site row scored by a fit without its block (each label's rows in time order,
    ``pad_train.site_scores``). The threshold refuses as many of those real faces as the current
    check refuses at its own threshold when that is over 5%, else 5% of them but never above the
    current threshold: a minute of one camera's faces would otherwise set it at their lowest
    score (measured: 0.95, refusing 13-16% of a room's later faces).
    """
    if not site.live.any() or site.live.all():
        raise KioskError("teaching needs both real faces and attacks", hint="record with Teach attacks and Teach real faces")
    features = check_features(pack, checker, site.names)
    x = site.columns(features).astype(np.float64)
    toward = prior_weights(pack, checker, site, features)
    held = site_scores(x, site.live, np.ones(len(site), bool), c, toward)
    own = held[site.live]
    current = bpcer(pack_scores(pack, checker, site)[site.live], pack.thresholds.liveness)

    def threshold(share: float) -> float:
        if current > TARGET_BPCER:
            return bpcer_threshold(own, share - TARGET_BPCER + current)
        return min(bpcer_threshold(own, share), pack.thresholds.liveness)

    standard = threshold(TARGET_BPCER)
    low = min(standard, threshold(ADAPTIVE_REFUSE))
    high = max(standard, threshold(ADAPTIVE_REFUSE + ADAPTIVE_TURN))
    model = fit_logistic(x, site.live, c, toward=toward)
    figures = source_figures(SITE, held, site.live, standard, (low, high))
    return TrainedFusion(features, model, onnx_bytes(model, features), standard, low, high, HeldOut("site blocks in time order", (figures,), held))
