"""The genuine side of unlike material (issue 20): the product's embedding fusion against variants, held out by source.

    uv run --frozen python scripts/pad_genuine.py PACK --cache DIR \
        --labels ../shared/faces/spoof-context/labels.csv --labels ../shared/faces/spoof-dev/print-nuaa/labels.csv \
        --judge ../shared/faces/spoof-dev/recapture-crops/labels.csv [--augmented AUG/labels.csv] \
        [--candidate TEXT ...] [--captures] [--threads 1]

The default pack's fusion (``pad_train.fit`` over the runs' class features, the ring cue and the
selected runs' embeddings) learned the eight webcam rooms very well and refuses genuine faces from
unlike material (NUAA, the recapture crops). Candidates, each fitted by the product's own ``fit``
on the training side of every held-out source (as ``scripts/pad_loso.py``; its table printer):

- ``(f)``: the product's fit as it is (the baseline, ``pad_loso``'s row to the digit).
- ``(f) threshold refusing 1% ...``: the product's fit with a lower standard threshold (a control:
  how much of a candidate's lower BPCER a lower threshold alone buys, and at what APCER).
- ``(f) PCA <= N``: the embeddings' PCA size chosen among sizes up to N only.
- ``(f) worst-BPCER choice``: the PCA size and C chosen on the worst inner held-out source's BPCER
  at the pooled APCER-5% threshold, not on the mean APCER (runs are still selected as the product does).
- ``(f) + augmented copies``: the training side gains the quality-augmented copies of its own
  frames (``scripts/pad_augment.py``; a copy's source is its frame's, so it is held out with it and
  never scored: inner held-out scores, the selection, the PCA size and the thresholds are judged on
  original frames only). ``(f) + augmented copies, scored``: the copies are plain rows of their
  source (what adding the augmented CSV to ``kiosk liveness train`` would do), so their genuine
  copies also set the thresholds. ``low-resolution`` / ``other-light`` / ``tight-crop`` / ``mild copies``:
  one kind of copy only (``pad_augment.py``'s copy 0, copy 1, ``--crops``, ``--mild``; pass several CSVs for all).

``--write-pack OUT`` writes a pack with the first candidate fitted on all of --labels (and its
copies) instead, for ``scripts/video_passive.py``. Figures: docs/capture.md, "The genuine side of
unlike material".

Only original frames are ever judged; --judge sets are scored by the candidate trained on all of --labels.
"""

from __future__ import annotations

import argparse
import sys
from functools import partial
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from pad_loso import COVERS, measure, print_captures  # noqa: E402

from kiosk.cli.liveness_train import labelled_items  # noqa: E402
from kiosk.engine import pad_train  # noqa: E402
from kiosk.engine.pad_eval import TARGET_BPCER  # noqa: E402
from kiosk.engine.pad_fusion import C, Logistic, fit_logistic, onnx_bytes  # noqa: E402
from kiosk.engine.pad_probe import PCA_SIZES, PROBE_C, principal  # noqa: E402
from kiosk.engine.scene_cues import RING_BRIGHTNESS  # noqa: E402
from kiosk.engine.sheet_frame import MIN_SIDES, SPAN  # noqa: E402

AUG = "\x00aug"  # suffix of a copy's source: folded with its frame's source, never scored
APCER_TARGET = 0.05

Scored = tuple[np.ndarray, float, tuple[float, float]]
Scorer = Callable[[np.ndarray, np.ndarray], Scored]
Fitted = tuple[tuple[str, ...], Logistic, float, float, float]

_original_held_out = pad_train.held_out_probability
_original_choose = pad_train.choose_probe
_original_target = TARGET_BPCER


def base(groups: np.ndarray) -> np.ndarray:
    return np.char.replace(np.asarray(groups, str), AUG, "")


def held_out_unscored(x: np.ndarray, live: np.ndarray, groups: np.ndarray, c: float = C) -> np.ndarray:
    """``pad_train.held_out_probability`` folding a copy with its frame's source and leaving copies unscored (nan).

    Put in place of the product's during a fit whose copies carry the ``AUG`` suffix: the runs, the
    PCA size and C and the thresholds are then chosen on real frames only (``mean_apcer`` and
    ``calibrate`` skip ``nan``), while every fit inside trains on the copies of its training side.
    """
    folds = base(groups)
    copies = np.asarray(groups, str) != folds
    out = np.full(len(x), np.nan)
    for g in np.unique(folds):
        test = folds == g
        train = ~test
        if (test & ~copies).any() and live[train].any() and (~live[train]).any():
            out[test & ~copies] = fit_logistic(x[train], live[train], c).probability(x[test & ~copies])
    return out


def worst_bpcer_choice(sizes: Sequence[int | None], cs: Sequence[float]) -> Callable[..., pad_train.ProbeChoice]:
    """A ``choose_probe`` whose cost is the worst inner group's BPCER at the pooled APCER-5% threshold (ties: mean APCER)."""

    def choose(x: np.ndarray, embedded: Sequence[int], kept: Sequence[int], live: np.ndarray, groups: np.ndarray, *_: object) -> pad_train.ProbeChoice:
        best: tuple[tuple[float, float], pad_train.ProbeChoice] | None = None
        for size in sizes:
            projection = principal(x, embedded, kept, size)
            z = projection(x)
            for c in cs:
                p = pad_train.held_out_probability(z, live, groups, c)
                ok = ~np.isnan(p)
                attacks = np.sort(p[ok & ~live])
                t = attacks[min(len(attacks) - 1, int(np.ceil((1 - APCER_TARGET) * len(attacks))))]
                worst = max(float(np.mean(p[ok & live & (groups == g)] < t)) for g in np.unique(groups[ok & live]))  # real frames only
                cost = (worst, pad_train.mean_apcer(p, live, groups))
                if best is None or cost < best[0]:
                    best = (cost, pad_train.ProbeChoice(projection, c, p))
        assert best is not None
        return best[1]

    return choose


@contextmanager
def patched(held_out: Callable[..., np.ndarray] | None, choose: Callable[..., pad_train.ProbeChoice] | None, target: float) -> Iterator[None]:
    """``pad_train``'s held-out scoring, probe choice and standard BPCER target replaced for one fit (read at call time)."""
    pad_train.held_out_probability = held_out or _original_held_out
    pad_train.choose_probe = choose or _original_choose
    vars(pad_train)["TARGET_BPCER"] = target  # the name pad_train imported from pad_eval, read at call time
    try:
        yield
    finally:
        pad_train.held_out_probability = _original_held_out
        pad_train.choose_probe = _original_choose
        vars(pad_train)["TARGET_BPCER"] = _original_target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pack", type=Path)
    parser.add_argument("--labels", type=Path, action="append", required=True)
    parser.add_argument("--judge", type=Path, action="append", default=[])
    parser.add_argument("--augmented", type=Path, action="append", default=[], help="labels CSV of augmented copies (source = the frame's)")
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument("--captures", action="store_true")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--candidate", action="append", default=[], help="only candidates whose name contains this (or is exactly this)")
    parser.add_argument(
        "--write-pack", type=Path, help="write PACK with the first (non-vetoed) candidate fitted on all of --labels, for scripts/video_passive.py"
    )
    args = parser.parse_args(argv)
    originals = labelled_items(args.labels + args.judge, None)
    copies = labelled_items(args.augmented, None) if args.augmented else []
    items = originals + [(p, lv, s + AUG) for p, lv, s in copies]
    judged = {p.parent.name for p in args.judge}
    m = measure(args.pack, items, args.cache, args.threads, every=500)
    pack, names, rows, x, live, source = m.pack, m.names, m.rows, m.x, m.live, m.source
    folded = base(source)
    copy = source != folded
    print(f"{(~copy).sum()} original rows, {copy.sum()} augmented copies", file=sys.stderr)
    col = {n: i for i, n in enumerate(names)}
    encloses = (np.nan_to_num(x[:, [col[c] for c in COVERS]]) >= SPAN).sum(1) >= MIN_SIDES
    keep = [i for n, i in col.items() if (not n.startswith("scene:")) or n == RING_BRIGHTNESS]
    model_names = [names[i] for i in keep]

    fitters: dict[str, Callable[[np.ndarray], Fitted]] = {}

    image = np.asarray([r.image for r in rows])

    def fusion(
        with_copies: bool,
        scored: bool = False,
        choose: Callable[..., pad_train.ProbeChoice] | None = None,
        only: str = "",
        target: float = _original_target,
    ) -> Callable[[np.ndarray], Fitted]:
        kind = np.char.find(image, only) >= 0

        def fitted(train: np.ndarray) -> Fitted:
            rows_ = train | (with_copies & copy & kind & np.isin(folded, np.unique(folded[train])))
            unscored = with_copies and not scored
            with patched(held_out_unscored if unscored else None, choose, target):
                return pad_train.fit(model_names, x[rows_][:, keep], live[rows_], source[rows_] if unscored else folded[rows_], args.runs)

        return fitted

    def scorer(fitted: Callable[[np.ndarray], Fitted]) -> Scorer:
        def score(train: np.ndarray, test: np.ndarray) -> Scored:
            chosen, model, t, low, high = fitted(train)
            return model.probability(x[test][:, [col[n] for n in chosen]]), t, (low, high)

        return score

    fitters = {
        "(f) the product's fit": fusion(False),
        "(f) threshold refusing 1% of the training side's genuine": fusion(False, target=0.01),
        "(f) PCA <= 16": fusion(False, choose=partial(_original_choose, sizes=(8, 16))),
        "(f) PCA <= 8": fusion(False, choose=partial(_original_choose, sizes=(4, 8))),
        "(f) worst-BPCER choice": fusion(False, choose=worst_bpcer_choice(PCA_SIZES, PROBE_C)),
        "(f) + augmented copies": fusion(True),
        "(f) + augmented copies, scored": fusion(True, scored=True),
        "(f) + augmented copies, worst-BPCER choice": fusion(True, choose=worst_bpcer_choice(PCA_SIZES, PROBE_C)),
        "(f) + low-resolution copies, scored": fusion(True, scored=True, only="/0/"),
        "(f) + other-light copies, scored": fusion(True, scored=True, only="/1/"),
        "(f) + tight-crop copies, scored": fusion(True, scored=True, only="/crop/"),
        "(f) + tight-crop copies": fusion(True, only="/crop/"),
        "(f) + mild copies, scored": fusion(True, scored=True, only="/mild/"),
        "(f) + mild copies": fusion(True, only="/mild/"),
    }
    exact = [c for c in args.candidate if c in fitters]
    fitters = {k: v for k, v in fitters.items() if not args.candidate or k in exact or (not exact and any(c in k for c in args.candidate))}
    candidates = {k: memoised(scorer(v)) for k, v in fitters.items()}
    trained_on = ~np.isin(source, list(judged)) & ~copy
    if args.write_pack:
        label, fitter = next(iter(fitters.items()))
        chosen, model, t, low, high = fitter(trained_on)
        trained = pad_train.TrainedFusion(chosen, model, onnx_bytes(model, chosen), t, low, high, pad_train.HeldOut("not measured", (), np.zeros(0)))
        pad_train.write_trained_pack(pack, trained, args.write_pack)
        print(f"{args.write_pack}: {label}, thresholds {t:.2f} ({low:.2f} .. {high:.2f}), {len(chosen)} inputs", file=sys.stderr)
        return 0
    for label in list(candidates):
        candidates[label + " + enclosing-frame cue"] = vetoed(candidates[label], encloses)
    sources = list(dict.fromkeys(source[~copy].tolist()))
    time_order = np.asarray([Path(r.image).name for r in rows])
    held: dict[tuple[str, str], Scored] = {}
    print("| candidate | " + " | ".join(sources) + " | mean (spoof-context) |")
    print("|---|" + "---:|" * (len(sources) + 1))
    for label, score_of in candidates.items():
        cells, context = [], []
        for s in sources:
            test = (source == s) & ~copy
            train = trained_on & (folded != s)
            p, t, band = score_of(train, test)
            held[label, s] = p, t, band
            a, b = float(np.mean(p[~live[test]] >= t)), float(np.mean(p[live[test]] < t))
            cells.append(f"{a:.1%} / {b:.1%}")
            if s not in judged and s != "print-nuaa":
                context.append((a, b))
        mean = np.mean(context, 0)
        print(f"| {label} | " + " | ".join(cells) + f" | {mean[0]:.1%} / {mean[1]:.1%} |", flush=True)
    if args.captures:
        print_captures(held, live[~copy], source[~copy], time_order[~copy], judged)
    return 0


def memoised(scorer: Scorer) -> Scorer:
    """``scorer`` fitted once per held-out set, so its vetoed twin costs nothing."""
    memo: dict[bytes, Scored] = {}

    def score(train: np.ndarray, test: np.ndarray) -> Scored:
        key = test.tobytes()
        if key not in memo:
            memo[key] = scorer(train, test)
        return memo[key]

    return score


def vetoed(scorer: Scorer, veto: np.ndarray) -> Scorer:
    """``scorer`` with the enclosing-frame cue's veto: a frame it finds scores 0."""

    def score(train: np.ndarray, test: np.ndarray) -> Scored:
        p, t, band = scorer(train, test)
        return np.where(veto[test], 0.0, p), t, band

    return score


if __name__ == "__main__":
    raise SystemExit(main())
