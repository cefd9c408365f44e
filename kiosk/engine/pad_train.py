"""Training and judging a pack's liveness fusion on labelled feature rows, held out by source.

Pure NumPy on rows of liveness features (``pad_features``): the caller measures the photos once
(``kiosk liveness train``) or passes feature vectors it stored per frame (a teaching screen keeps
features, never images), and gets back the trained fusion as ONNX bytes, its calibrated
thresholds and the held-out figures it measured. No model runs here, so a retraining is seconds.

Held out means: every figure is from a model that never saw that group. With a ``source`` per row
(a recording session, a data set) the groups are the sources, one left out at a time (frames of one
source are bursts of one session: a frame-level split would be judged on near-copies of its training
frames). With one source, ``FOLDS`` contiguous blocks in file order. Inside each training side the
model runs are selected and the threshold calibrated on the training side's own held-out scores, so
the held-out figures include the choice of runs and of threshold. A kiosk taught its own camera
(``site_liveness``) names its rows' source (``calibrate_on``): its thresholds are then set by that
camera's real faces, within ``SITE_SLACK`` of the other sources'.

Rows that carry the networks' embeddings (``<file>@<scale>:e<k>``) get them into the fusion: the runs
are still selected on their class features, then the selected runs' embeddings are reduced to
principal components beside those features (``pad_probe``; size and C chosen on the same held-out
groups) and the fit is folded back into one logistic over the raw inputs.
"""

from __future__ import annotations

import math
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from kiosk.engine.pack import LIVENESS_FUSION, MANIFEST, FeatureKind, ModelPack, PackFile, load_pack, parse_feature, write_manifest
from kiosk.engine.pad_eval import TARGET_BPCER, bpcer_threshold
from kiosk.engine.pad_fusion import C, SELECTED_RUNS, Logistic, fit_logistic, onnx_bytes
from kiosk.engine.pad_probe import PCA_SIZES, PROBE_C, Projection, fold, principal
from kiosk.engine.scene_cues import CUES
from kiosk.errors import ModelPackError
from kiosk.fsutil import sha256_file

FOLDS = 5  # blocks in file order when the rows have a single source
# The adaptive level's band (docs/capture.md, issue 20): at most this share of genuine captures is
# refused outright (the low threshold) and at most TURN_SHARE more is asked for the head turn.
ADAPTIVE_REFUSE = 0.01
ADAPTIVE_TURN = 0.10
# The threshold refuses at most 5% of the training side's genuine rows pooled (True: of every source's
# own). Measured both ways leave-one-source-out (docs/capture.md): pooled met the APCER target with
# held-out BPCER near 5%; every-source halved BPCER but doubled APCER.
EVERY_SOURCE = False
# A taught kiosk's thresholds come from its own real faces (``calibrate_on``), but refuse at most this
# much more of the other rooms' held-out real faces than the share each threshold targets. Chosen on
# scripts/teach_figures.py (docs/capture.md), so those figures are optimistic: 0.05 left APCER up to
# 5% on three rooms, 0.20 refused 5-8% of two rooms' later real faces; 0.10 neither.
SITE_SLACK = 0.10


def run_of(name: str) -> str:
    """The model run a feature comes from: ``file@scale`` of ``file@scale[:k]`` or ``file@scale:e<k>``; a scene cue is its own run."""
    return name.split(":")[0] if not name.startswith("scene:") else name


def is_embedding(name: str) -> bool:
    """Whether ``name`` is an embedding dimension ``<file>@<scale>:e<k>`` (not selected on, read beside its run)."""
    parsed = None if name.startswith("scene:") else parse_feature(name)
    return parsed is not None and parsed.kind is FeatureKind.EMBEDDING


@dataclass(frozen=True)
class SourceFigures:
    """Held-out figures of one source at the threshold chosen without it."""

    source: str
    live: int
    spoof: int
    threshold: float
    apcer: float  # attacks accepted (nan without attacks)
    bpcer: float  # genuine refused (nan without genuine rows)
    band: tuple[float, float]  # adaptive: (refused below, accepted without a turn from), chosen without it
    adaptive_apcer: float  # attacks accepted without a turn (a still attack in the band cannot turn)
    adaptive_bpcer: float  # genuine refused outright
    asked_to_turn: float  # genuine in the band

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "live": self.live,
            "spoof": self.spoof,
            "threshold": round(self.threshold, 4),
            "apcer": _rate(self.apcer),
            "bpcer": _rate(self.bpcer),
            "adaptive": {
                "band": [round(v, 4) for v in self.band],
                "apcer": _rate(self.adaptive_apcer),
                "bpcer": _rate(self.adaptive_bpcer),
                "asked_to_turn": _rate(self.asked_to_turn),
            },
        }


def _rate(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 4)


@dataclass(frozen=True)
class HeldOut:
    """Held-out figures per source, how the rows were held out, and the held-out probabilities themselves."""

    how: str
    figures: tuple[SourceFigures, ...]
    probability: np.ndarray = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {"held_out": self.how, "sources": [f.to_dict() for f in self.figures]}


@dataclass(frozen=True)
class TrainedFusion:
    """A fusion fitted on every row: its features in order, the model, its ONNX and its calibrated thresholds."""

    features: tuple[str, ...]
    model: Logistic
    onnx: bytes
    liveness: float  # standard: the highest threshold refusing at most 5% of the held-out genuine rows
    liveness_low: float  # adaptive: below it refused (at most ADAPTIVE_REFUSE of held-out genuine)
    liveness_high: float  # adaptive: at or above it accepted without a head turn
    held_out: HeldOut


def columns(names: Sequence[str], x: np.ndarray, wanted: Sequence[str]) -> np.ndarray:
    """The ``wanted`` features of rows measured as ``names``, in ``wanted``'s order.

    How rows measured with every candidate (``pad_features.measure_rows``) join rows a teaching
    screen stored with a pack's own fusion features (``pack.liveness_fusion.features``).
    """
    index = {n: i for i, n in enumerate(names)}
    missing = [w for w in wanted if w not in index]
    if missing:
        raise ValueError(f"feature(s) {', '.join(missing)} were not measured for these rows")
    return np.asarray(x)[:, [index[w] for w in wanted]]


def groups_of(sources: np.ndarray) -> tuple[np.ndarray, str]:
    """Fold labels: the source when there are several, else ``FOLDS`` blocks in row order."""
    unique = list(dict.fromkeys(sources.tolist()))
    if len(unique) > 1:
        return np.asarray(sources), "leave one source out"
    blocks = np.minimum((np.arange(len(sources)) * FOLDS) // max(1, len(sources)), FOLDS - 1)
    return blocks.astype(str), f"{FOLDS} blocks in file order"


def held_out_probability(x: np.ndarray, live: np.ndarray, groups: np.ndarray, c: float = C) -> np.ndarray:
    """Each row's live probability from a logistic fitted without its group."""
    out = np.full(len(x), np.nan)
    for g in np.unique(groups):
        test = groups == g
        train = ~test
        if test.any() and live[train].any() and (~live[train]).any():
            out[test] = fit_logistic(x[train], live[train], c).probability(x[test])
    return out


def fill_missing(x: np.ndarray) -> np.ndarray:
    """A scene cue a padded crop lacks (``nan``) becomes the column's median: no evidence either way (also what ``scripts/teach_figures.py`` fits on)."""
    x = np.array(x, np.float64)
    if np.isnan(x).any():
        medians = np.nanmedian(np.where(np.isnan(x).all(0), 0.0, x), 0)
        rows, cols = np.nonzero(np.isnan(x))
        x[rows, cols] = np.nan_to_num(medians[cols])
    return x


def select_runs(
    names: Sequence[str], x: np.ndarray, live: np.ndarray, groups: np.ndarray, runs: int = SELECTED_RUNS, c: float = C
) -> tuple[str, ...]:
    """Greedy forward selection of model runs (all of a run's features at once) on held-out groups.

    Each step adds the run with the lowest mean APCER over the groups with attacks, at the threshold
    refusing ``TARGET_BPCER`` of the pooled held-out genuine rows: a run earns its place by what it
    does on groups the fit never saw. Ties go to the run listed first. The kiosk's scene cues
    (``scene_cues.CUES``) among ``names`` cost no model run and are always kept, after the runs.
    Embedding dimensions among ``names`` are not selected on (``fit`` adds the chosen runs' own).
    """
    by_run: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        if name not in CUES and not is_embedding(name):
            by_run.setdefault(run_of(name), []).append(i)
    cues = [i for i, name in enumerate(names) if name in CUES]
    chosen: list[str] = []
    for _ in range(min(runs, len(by_run))):
        best: tuple[float, str] | None = None
        for run in by_run:
            if run in chosen:
                continue
            cols = [i for r in chosen + [run] for i in by_run[r]] + cues
            p = held_out_probability(x[:, cols], live, groups, c)
            cost = mean_apcer(p, live, groups)
            if best is None or cost < best[0] - 1e-12:
                best = (cost, run)
        assert best is not None  # the range leaves an unchosen run at every step
        chosen.append(best[1])
    return tuple(names[i] for r in chosen for i in by_run[r]) + tuple(names[i] for i in cues)


def mean_apcer(p: np.ndarray, live: np.ndarray, groups: np.ndarray) -> float:
    """Mean APCER over the groups with attacks at the threshold refusing ``TARGET_BPCER`` of the pooled held-out genuine rows."""
    ok = ~np.isnan(p)
    t = bpcer_threshold(p[ok & live])
    rates = [np.mean(p[ok & ~live & (groups == g)] >= t) for g in np.unique(groups) if (ok & ~live & (groups == g)).any()]
    return float(np.mean(rates)) if rates else 0.0


@dataclass(frozen=True)
class ProbeChoice:
    """The embeddings' projection and C chosen on a training side, and that side's held-out probabilities with them."""

    projection: Projection
    c: float
    held_out: np.ndarray


def choose_probe(
    x: np.ndarray,
    embedded: Sequence[int],
    kept: Sequence[int],
    live: np.ndarray,
    groups: np.ndarray,
    sizes: Sequence[int | None] = PCA_SIZES,
    cs: Sequence[float] = PROBE_C,
) -> ProbeChoice:
    """The PCA size and C whose held-out ``groups`` give the lowest mean APCER (``select_runs``'s rule); ties to the first listed.

    The PCA is fitted on all of ``x`` (no labels; the caller passes its training rows only), the
    logistic of each group without that group.
    """
    best: tuple[float, Projection, float, np.ndarray] | None = None
    for size in sizes:
        projection = principal(x, embedded, kept, size)
        z = projection(x)
        for c in cs:
            p = held_out_probability(z, live, groups, c)
            cost = mean_apcer(p, live, groups)
            if best is None or cost < best[0] - 1e-12:
                best = (cost, projection, c, p)
    assert best is not None, "choose_probe needs at least one size and one C"
    return ProbeChoice(best[1], best[2], best[3])


def fit(
    names: Sequence[str],
    x: np.ndarray,
    live: np.ndarray,
    sources: np.ndarray,
    runs: int = SELECTED_RUNS,
    c: float = C,
    every_source: bool = EVERY_SOURCE,
    calibrate_on: str | None = None,
) -> tuple[tuple[str, ...], Logistic, float, float, float]:
    """Select runs, fit on every row, and calibrate the three thresholds on the rows' own held-out scores.

    With embeddings among ``names``, the selected runs' embeddings join as principal components
    (``choose_probe``, whose C then replaces ``c``) and the model returned is folded over the raw
    names: the embedding dimensions first, then the selected features. ``calibrate_on``: a source
    whose genuine rows alone set the thresholds (``site_scores``), when it has any; else every
    source's held-out genuine rows pooled.
    """
    x = fill_missing(x)
    names = list(names)
    groups, _ = groups_of(sources)
    plain = [i for i, n in enumerate(names) if not is_embedding(n)]
    chosen = select_runs([names[i] for i in plain], x[:, plain], live, groups, runs, c)
    cols = [names.index(n) for n in chosen]
    runs_chosen = {run_of(n) for n in chosen}
    embedded = [i for i, n in enumerate(names) if is_embedding(n) and run_of(n) in runs_chosen]
    probe: ProbeChoice | None = None
    if embedded:
        probe = choose_probe(x, embedded, cols, live, groups)
        z, c, p = probe.projection(x), probe.c, probe.held_out
        features = tuple(names[i] for i in embedded) + chosen
    else:
        z = x[:, cols]
        p = held_out_probability(z, live, groups, c)
        features = chosen
    site = np.asarray(sources) == calibrate_on
    if calibrate_on is not None and (site & live).any() and (site & ~live).any() and (~site & live).any():
        # The site's own real faces set each threshold, capped where it would refuse more than
        # SITE_SLACK beyond its share of the other rooms' real faces (held out by source): a few
        # dozen frames of one minute must not push it above what any camera's faces reach.
        own = site_scores(z, live, site, c)
        others = np.where(site, np.nan, p)

        def threshold(share: float) -> float:
            return min(calibrate(own, live, groups, share), calibrate(others, live, groups, share + SITE_SLACK))

    else:

        def threshold(share: float) -> float:
            return calibrate(p, live, groups, share, every_source)

    standard = threshold(TARGET_BPCER)
    low = min(standard, threshold(ADAPTIVE_REFUSE))
    high = max(standard, threshold(ADAPTIVE_REFUSE + ADAPTIVE_TURN))
    model = fit_logistic(z, live, c)
    return features, fold(model, probe.projection) if probe is not None else model, standard, low, high


def site_scores(x: np.ndarray, live: np.ndarray, site: np.ndarray, c: float = C, toward: np.ndarray | None = None) -> np.ndarray:
    """Held-out probabilities of the ``site`` rows only (``nan`` elsewhere), for thresholds of the camera that will use them.

    A kiosk taught its own camera is judged by its own visitors, not by other rooms' faces: pooled
    with thousands of development rows, a few dozen site rows would not move a threshold. Each
    label's site rows are cut into ``FOLDS`` contiguous blocks in row (time) order; each block is
    scored by a logistic fitted on every other row, the development rows and the other blocks
    (``toward``: the prior weights of ``fit_logistic``, as the fit being calibrated uses).
    """
    folds = np.full(len(x), -1)
    for label in (True, False):
        index = np.flatnonzero(site & (live == label))
        folds[index] = np.minimum((np.arange(len(index)) * FOLDS) // max(1, len(index)), FOLDS - 1)
    out = np.full(len(x), np.nan)
    for k in range(FOLDS):
        test = folds == k
        train = ~test
        if test.any():
            out[test] = fit_logistic(x[train], live[train], c, toward=toward).probability(x[test])
    return out


def calibrate(p: np.ndarray, live: np.ndarray, groups: np.ndarray, share: float, every_source: bool = EVERY_SOURCE) -> float:
    """The highest threshold refusing at most ``share`` of the held-out genuine rows: pooled, or of every group's own."""
    ok = live & ~np.isnan(p)
    if not every_source:
        return bpcer_threshold(p[ok], share)
    return min(bpcer_threshold(p[ok & (groups == g)], share) for g in np.unique(groups[ok]))


def leave_one_out(
    names: Sequence[str],
    x: np.ndarray,
    live: np.ndarray,
    sources: np.ndarray,
    runs: int = SELECTED_RUNS,
    c: float = C,
    progress: Callable[[int, int, str], None] | None = None,
    every_source: bool = EVERY_SOURCE,
    calibrate_on: str | None = None,
) -> HeldOut:
    """Each group predicted by a fusion selected, fitted and thresholded without it (``groups_of``).

    ``calibrate_on`` is passed to ``fit``: where that source is left out, the pooled rule applies.
    """
    x = fill_missing(x)
    groups, how = groups_of(sources)
    unique = list(dict.fromkeys(groups.tolist()))
    probability = np.full(len(x), np.nan)
    figures = []
    for done, g in enumerate(unique, start=1):
        test = groups == g
        train = ~test
        inner = sources[train] if how.startswith("leave") else np.zeros(train.sum(), str)
        chosen, model, t, low, high = fit(names, x[train], live[train], inner, runs, c, every_source, calibrate_on)
        cols = [list(names).index(n) for n in chosen]
        probability[test] = model.probability(x[test][:, cols])
        figures.append(source_figures(str(g) if how.startswith("leave") else f"block {g}", probability[test], live[test], t, (low, high)))
        if progress:
            progress(done, len(unique), str(g))
    return HeldOut(how, tuple(figures), probability)


def source_figures(source: str, p: np.ndarray, live: np.ndarray, t: float, band: tuple[float, float]) -> SourceFigures:
    """The figures of one source's held-out probabilities ``p`` at threshold ``t`` and adaptive ``band``."""
    lives, spoofs = p[live], p[~live]
    low, high = band

    def share(values: np.ndarray, keep: Callable[[np.ndarray], np.ndarray]) -> float:
        return float(np.mean(keep(values))) if len(values) else math.nan

    return SourceFigures(
        source,
        int(len(lives)),
        int(len(spoofs)),
        t,
        share(spoofs, lambda v: v >= t),
        share(lives, lambda v: v < t),
        band,
        share(spoofs, lambda v: v >= high),
        share(lives, lambda v: v < low),
        share(lives, lambda v: (v >= low) & (v < high)),
    )


def train_fusion(
    names: Sequence[str],
    x: np.ndarray,
    live: np.ndarray | Sequence[bool],
    sources: Sequence[str] | np.ndarray,
    runs: int = SELECTED_RUNS,
    c: float = C,
    progress: Callable[[int, int, str], None] | None = None,
    calibrate_on: str | None = None,
) -> TrainedFusion:
    """Held-out figures (``leave_one_out``), then the fusion fitted on every row, as ONNX with its thresholds.

    ``names`` label the columns of ``x`` (``pad_features.candidate_names``, or the fixed features a
    teaching screen stored); ``runs`` model runs are selected among them (the per-frame cost).
    ``calibrate_on`` names the source of a kiosk's own samples (teaching): the thresholds are then
    its genuine rows' (``site_scores``), the runs are still selected held out by source.
    """
    x = np.asarray(x, np.float64)
    live = np.asarray(live, bool)
    source_of = np.asarray(sources, str)
    if len(x) != len(live) or len(x) != len(source_of):
        raise ValueError("x, live and sources need one entry per row")
    if not live.any() or live.all():
        raise ValueError("training needs both genuine (live) and attack (spoof) rows")
    held = leave_one_out(names, x, live, source_of, runs, c, progress, calibrate_on=calibrate_on)
    chosen, model, standard, low, high = fit(names, x, live, source_of, runs, c, calibrate_on=calibrate_on)
    return TrainedFusion(chosen, model, onnx_bytes(model, chosen), standard, low, high, held)


FUSION_FILE = "liveness_fusion.onnx"


def write_trained_pack(pack: ModelPack, trained: TrainedFusion, out: Path, fusion_file: str = FUSION_FILE) -> ModelPack:
    """A complete pack folder at ``out``: ``pack``'s files (less any old fusion), the trained fusion, its thresholds.

    Written beside ``out`` and renamed into place, then loaded and hash-verified, so a failure leaves
    no half pack. The name, the face thresholds and their calibration flag are the source pack's:
    the recognizer is the same file, so it is the same embedding space (pack id = name + recognizer
    hash) and people enrolled under the source pack need no migration. A taught variant is this
    too (``pack_variant.write_variant``), with its fusion under another file name.
    """
    out = Path(out).expanduser().resolve()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ModelPackError(f"{out}: already exists and is not empty", hint="give --out a new folder")
    if out == pack.root.resolve():
        raise ModelPackError(f"{out}: is the source pack itself", hint="give --out a new folder")
    staging = out.parent / f".{out.name}.staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        kept = tuple(f for f in pack.files if f.role != LIVENESS_FUSION)
        for entry in kept:
            shutil.copy2(pack.path(entry), staging / entry.file)
        (staging / fusion_file).write_bytes(trained.onnx)
        fusion = PackFile(LIVENESS_FUSION, fusion_file, sha256_file(staging / fusion_file), mean=0.0, std=1.0, features=trained.features)
        thresholds = replace(
            pack.thresholds, liveness=trained.liveness, liveness_low=trained.liveness_low, liveness_high=trained.liveness_high
        )
        new = replace(pack, root=staging, files=(*kept, fusion), thresholds=thresholds, manifest_path=None)
        write_manifest(new, staging / MANIFEST)
        load_pack(staging)  # every file present and matching its hash before it takes the name
        if out.exists():
            out.rmdir()
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return load_pack(out)
