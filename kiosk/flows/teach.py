"""Teaching the kiosk its own camera: recording site samples and retraining the passive check on them.

The operator holds a phone, a tablet and a printed photo up to the camera ("Teach attacks")
and shows real faces ("Teach real faces"); each frame's liveness features of the largest
face are kept (``kiosk/store/liveness_samples.py``), never the image. A retrain trains a new
fusion with ``pad_train.train_fusion`` (the one training path, as ``kiosk liveness train``) on the
shared development rows plus these samples, less a held-back part chosen by
recording session and time (frames of one burst look alike, so a random split would flatter
the new check), and keeps it only if it is at least as good on the held-back samples on
both sides: attacks accepted (APCER) and real faces refused (BPCER). Kept or not, the
figures are audited as ``liveness_taught``; a kept check becomes a new pack variant folder
and the kiosk's ``models`` setting. An installed kiosk has no development data (never shipped):
it teaches with this camera only (``TeachMode.SITE_ONLY``), a stricter-kept fit of its own.

Three steps, so the screen runs the middle one on the camera worker (the only place models
run) and the registry calls stay on the GUI thread: ``load_site_samples`` ->
``train_on_site`` -> ``record_outcome``. ``retrain_with_site_samples`` chains them for the shell.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from kiosk.config import Settings, load_settings, save_settings
from kiosk.emitter import Emitter
from kiosk.engine.images import load_image
from kiosk.engine.pack import ModelPack
from kiosk.engine.pack_variant import variant_folder, write_variant
from kiosk.engine.pad_eval import LIVE, read_labels
from kiosk.engine.pad_fusion import SELECTED_RUNS
from kiosk.engine.pad_train import TrainedFusion
from kiosk.engine.site_liveness import (
    ATTACK_KINDS,
    SITE,
    DevDataMissing,
    FeatureRows,
    Figures,
    TeachKind,
    dev_features,
    fit_site_fusion,
    fit_site_only,
    fusion_scores,
    largest_face_features,
    pack_scores,
)
from kiosk.errors import KioskError
from kiosk.registry import Registry
from kiosk.store import liveness_samples
from kiosk.store.liveness_samples import LivenessSample

if TYPE_CHECKING:
    from kiosk.engine.analyzer import FaceAnalyzer

FRAMES_PER_KIND = 40  # about 4 s of camera frames per thing held up, enough to see it move and tilt
MIN_PER_LABEL = 8  # fewer real (or attack) samples than this cannot be split into taught and held back
BURST = 10  # consecutive frames of one session kept on one side of a selection fold
AUDIT_EVENT = "liveness_taught"
CLEARED_EVENT = "liveness_samples_cleared"
KEPT, REFUSED = "kept", "refused"


# --- recording -------------------------------------------------------------------------------


@dataclass
class Recording:
    """One guided recording: the kinds in order, frames taught per kind, where it stands.

    Pure state for the teach screen (as ``flows.enroll.Enrollment`` is for enrollment):
    the screen asks for one frame's features at a time and reports each answer here, and
    redraws on ``changed``, which carries the recording after each answer.
    """

    kinds: tuple[TeachKind, ...]
    per_kind: int = FRAMES_PER_KIND
    session: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    counts: dict[TeachKind, int] = field(default_factory=dict)
    no_face: int = 0  # frames without a face since the last one taught
    changed: Emitter[Recording] = field(default_factory=lambda: Emitter[Recording](), repr=False, compare=False)

    @classmethod
    def attacks(cls, per_kind: int = FRAMES_PER_KIND) -> Recording:
        return cls(ATTACK_KINDS, per_kind)

    @classmethod
    def real_faces(cls, per_kind: int = FRAMES_PER_KIND) -> Recording:
        return cls((TeachKind.REAL,), per_kind)

    @property
    def kind(self) -> TeachKind | None:
        """What should be in front of the camera now; None when every kind is done."""
        return next((k for k in self.kinds if self.counts.get(k, 0) < self.per_kind), None)

    @property
    def done(self) -> bool:
        return self.kind is None

    def taught(self) -> None:
        kind = self.kind
        if kind is not None:
            self.counts[kind] = self.counts.get(kind, 0) + 1
            self.no_face = 0
            self.changed.emit(self)

    def missed(self) -> None:
        self.no_face += 1
        self.changed.emit(self)


def frame_sample(analyzer: FaceAnalyzer, frame: np.ndarray) -> tuple[tuple[str, ...], np.ndarray] | None:
    """The feature names and vector of a camera frame's largest face, or None without one (a worker job)."""
    try:
        return largest_face_features(analyzer, frame)
    except KioskError:
        return None


def save_sample(registry: Registry, session: str, kind: TeachKind, names: tuple[str, ...], vector: np.ndarray) -> None:
    with registry.session() as db, db.transaction():
        liveness_samples.add(db, session, kind.value, names, vector)


def sample_counts(registry: Registry) -> dict[str, int]:
    with registry.session() as db:
        return liveness_samples.counts(db)


def clear_site_samples(registry: Registry) -> int:
    """Forget every site sample (audited with how many), from the screen or the shell alike."""
    with registry.session() as db, db.transaction():
        cleared = liveness_samples.clear(db)
    registry.audit(CLEARED_EVENT, detail=f"samples={cleared}")
    return cleared


def load_site_samples(registry: Registry) -> list[LivenessSample]:
    with registry.session() as db:
        return liveness_samples.all_samples(db)


def teach_from_labels(registry: Registry, analyzer: FaceAnalyzer, labels_csv: Path, root: Path | None = None, kind: TeachKind = TeachKind.PHONE) -> dict[str, int]:
    """Record a labelled photo list (``image,label[,attack]``) as site samples, one session, in file order.

    For a kiosk whose attack frames were recorded elsewhere with its own camera: each spoof
    row is taught as its ``attack`` column when that names a kind (phone, tablet, print),
    else as ``kind``. Unreadable photos and photos without a face are counted and left out.
    """
    session = uuid.uuid4().hex[:12]
    taught = {"taught": 0, "skipped": 0}
    for row in read_labels(labels_csv):
        if row.problem:
            taught["skipped"] += 1
            continue
        try:
            names, vector = largest_face_features(analyzer, load_image((root or labels_csv.parent) / row.image))
        except KioskError:
            taught["skipped"] += 1
            continue
        row_kind = TeachKind.REAL if row.label == LIVE else TeachKind(row.attack) if row.attack in {k.value for k in ATTACK_KINDS} else kind
        save_sample(registry, session, row_kind, names, vector)
        taught["taught"] += 1
    return taught


# --- retraining ------------------------------------------------------------------------------


def held_back(samples: Sequence[LivenessSample]) -> np.ndarray:
    """Which samples judge the retrain: per kind, its latest recording session, or with one session its last quarter in time.

    Never random frames: neighbouring frames of one burst are nearly the same picture.
    """
    held = np.zeros(len(samples), bool)
    for kind in liveness_samples.KINDS:
        index = [i for i, s in enumerate(samples) if s.kind == kind]  # samples are in time order
        sessions = list(dict.fromkeys(samples[i].session for i in index))
        if len(sessions) >= 2:
            held[[i for i in index if samples[i].session == sessions[-1]]] = True
        elif len(index) >= 2:
            held[index[-max(1, len(index) // 4) :]] = True
    return held


def site_rows(samples: Sequence[LivenessSample], names: tuple[str, ...]) -> FeatureRows:
    """The samples as feature rows of ``names``; samples recorded with other features are an error."""
    if any(s.features != samples[0].features for s in samples):
        raise KioskError("the site samples were recorded with different models", hint="clear them (`kiosk liveness site-samples --clear`) and teach again")
    rows = FeatureRows(
        samples[0].features,
        np.vstack([s.vector for s in samples]).astype(np.float32),
        np.array([s.live for s in samples]),
        np.array([SITE] * len(samples)),
        np.array([f"{s.session}/{s.kind}/{i // BURST}" for i, s in enumerate(samples)]),
    )
    return FeatureRows(names, rows.columns(names), rows.live, rows.sources, rows.groups)


class TeachMode(StrEnum):
    """What a retrain learnt from: the shared development attacks plus this camera's samples, or the samples alone.

    An installed kiosk has no development data (the attack sets are never shipped), so it
    teaches with its own samples only; measured weaker (docs/capture.md), so the screen, the
    shell and the audit say which.
    """

    WITH_DEVELOPMENT = "with development data"
    SITE_ONLY = "this camera only"


@dataclass(frozen=True)
class TeachOutcome:
    """What a retrain measured on site samples the new check never saw, and whether it was kept.

    With development data the judge is the held-back samples; this camera only, every taught
    sample (the fitted ones scored by fits that did not see their block), and the new check must
    be strictly better on one side (``site_only_keeps``).
    """

    kept: bool
    before: Figures
    after: Figures
    taught: dict[str, int]  # site samples fitted, per kind
    held: dict[str, int]  # site samples held back, per kind
    dev_rows: int
    fusion: TrainedFusion  # the trained check (its thresholds and held-out figures), kept or not
    pack_folder: Path | None = None  # the new variant, when kept
    mode: TeachMode = TeachMode.WITH_DEVELOPMENT

    @property
    def features(self) -> tuple[str, ...]:
        return self.fusion.features

    def audit_detail(self) -> str:
        refusal = "refused: not better on both sides" if self.mode is TeachMode.WITH_DEVELOPMENT else "refused: not strictly better on one side without being worse"
        verdict = f"kept: {self.pack_folder.name}" if self.kept and self.pack_folder else refusal
        judged = "held back" if self.mode is TeachMode.WITH_DEVELOPMENT else "judged on every taught sample held out by block"
        taught = ", ".join(f"{k} {n}" for k, n in self.taught.items() if n)
        held = ", ".join(f"{k} {n}" for k, n in self.held.items() if n)
        band = f"adaptive band {self.fusion.liveness_low:.2f}-{self.fusion.liveness_high:.2f}"
        return (
            f"{verdict}; {self.mode.value}; {judged} (held back {held}): before {self.before.describe()}, after {self.after.describe()} ({band}); "
            f"taught {taught}; development rows {self.dev_rows}"
        )


def _per_kind(samples: Sequence[LivenessSample], mask: np.ndarray) -> dict[str, int]:
    return {kind: sum(1 for s, m in zip(samples, mask) if m and s.kind == kind) for kind in liveness_samples.KINDS}


def train_on_site(
    analyzer: FaceAnalyzer,
    samples: Sequence[LivenessSample],
    dev: FeatureRows | None,
    models_dir: Path,
    runs: int = SELECTED_RUNS,
) -> TeachOutcome:
    """Fit, compare on samples the fit never saw, and write the pack variant only when the rule keeps it.

    ``dev`` None: this camera only (``TeachMode.SITE_ONLY``, ``site_liveness.fit_site_only``).
    Runs where the models run (the camera worker, or the shell): it scores with the analyzer's
    loaded liveness models. Writes nothing but the new pack folder.
    """
    if not samples:
        raise KioskError("no site liveness samples to teach with", hint="record some with Teach attacks and Teach real faces first")
    held = held_back(samples)
    live = np.array([s.live for s in samples])
    for name, mask in (("real-face", live), ("attack", ~live)):
        if int(mask.sum()) < MIN_PER_LABEL or not (mask & held).any() or not (mask & ~held).any():
            raise KioskError(
                f"too few {name} samples to teach and check: {int(mask.sum())} (at least {MIN_PER_LABEL})",
                hint="record more with Teach attacks and Teach real faces",
            )
    pack: ModelPack = analyzer.pack
    checker = analyzer.liveness_checker
    rows = site_rows(samples, dev.names if dev is not None and len(dev) else samples[0].features)
    check = rows.subset(held)
    if dev is None:
        fusion = fit_site_only(pack, checker, rows.subset(~held))
        # Judged on every taught sample: the fitted ones by the block fits that did not see them.
        judged = np.empty(len(rows))
        judged[~held], judged[held] = fusion.held_out.probability, fusion_scores(fusion, check)
        before = Figures.of(pack_scores(pack, checker, rows), rows.live, pack.thresholds.liveness)
        after = Figures.of(judged, rows.live, fusion.liveness)
        kept = site_only_keeps(before, after)
    else:
        fusion = fit_site_fusion(dev, rows.subset(~held), runs)
        before = Figures.of(pack_scores(pack, checker, check), check.live, pack.thresholds.liveness)
        after = Figures.of(fusion_scores(fusion, check), check.live, fusion.liveness)
        kept = after.no_worse_than(before)
    folder = write_variant(pack, fusion, variant_folder(models_dir, pack)).root if kept else None
    mode = TeachMode.SITE_ONLY if dev is None else TeachMode.WITH_DEVELOPMENT
    return TeachOutcome(kept, before, after, _per_kind(samples, ~held), _per_kind(samples, held), 0 if dev is None else len(dev), fusion, folder, mode)


def site_only_keeps(before: Figures, after: Figures) -> bool:
    """This camera only: no worse on both sides and strictly better on one.

    Measured (docs/capture.md): with "no worse" alone a room whose taught minute showed no error
    either way kept a check that accepted 5.3% of its later attacks instead of 1.3%; a fit that
    cannot show it fixes something is not worth the risk.
    """
    return after.no_worse_than(before) and (after.apcer < before.apcer - 1e-12 or after.bpcer < before.bpcer - 1e-12)


def record_outcome(registry: Registry, settings: Settings, outcome: TeachOutcome) -> None:
    """Audit the figures; a kept check becomes the kiosk's ``models`` setting (written to its config file)."""
    if outcome.kept and outcome.pack_folder is not None:
        stored = load_settings(data_dir=settings.data_dir, environ={})  # the file's settings, not this run's flags
        stored.models = outcome.pack_folder
        save_settings(stored)
        settings.models = outcome.pack_folder
    registry.audit(AUDIT_EVENT, decision=KEPT if outcome.kept else REFUSED, detail=outcome.audit_detail())


def cache_dir(settings: Settings) -> Path:
    return settings.data_dir / "cache"


def development_rows(
    analyzer: FaceAnalyzer,
    cache: Path,
    *,
    dev_labels: Sequence[Path] | None = None,
    exclude_sources: Sequence[str] = (),
    site_only: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> FeatureRows | None:
    """The development rows a retrain adds to the site's, or None to teach with this camera only.

    None when asked (``site_only``) or when the shared development data and a cache of it are
    both missing (an installed kiosk: the attack sets are never shipped). Named labels files
    that are missing stay an error: someone asked for them.
    """
    if site_only:
        return None
    try:
        dev = dev_features(analyzer, list(dev_labels) if dev_labels is not None else None, cache, progress)
    except DevDataMissing:
        return None
    return dev.subset(~np.isin(dev.sources, list(exclude_sources))) if exclude_sources else dev


def retrain_with_site_samples(
    registry: Registry,
    analyzer: FaceAnalyzer,
    settings: Settings,
    *,
    dev_labels: Sequence[Path] | None = None,
    exclude_sources: Sequence[str] = (),
    site_only: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> TeachOutcome:
    """Retrain the passive check on the development data plus this kiosk's samples (the shell's path).

    ``dev_labels`` default to the shared development data (``site_liveness.DEV_LABELS``);
    ``exclude_sources`` leaves development sources out (a measurement of a source taught as
    if it were this site must not have the rest of it in the development rows). Without the
    development data, or with ``site_only``, it teaches with this camera only.
    """
    samples = load_site_samples(registry)
    dev = development_rows(analyzer, cache_dir(settings), dev_labels=dev_labels, exclude_sources=exclude_sources, site_only=site_only, progress=progress)
    outcome = train_on_site(analyzer, samples, dev, settings.data_dir / "models")
    record_outcome(registry, settings, outcome)
    return outcome
