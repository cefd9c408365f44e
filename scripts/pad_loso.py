"""Leave-one-source-out figures of today's passive check and of the fusion candidates, from cached features.

    uv run --frozen python scripts/pad_loso.py PACK --cache DIR \
        --labels ../shared/faces/spoof-context/labels.csv --labels ../shared/faces/spoof-dev/print-nuaa/labels.csv \
        [--judge ../shared/faces/spoof-dev/recapture-crops/labels.csv] [--captures] [--candidate TEXT ...]

PACK must carry the liveness models the candidates read (the test pack plus
../shared/models/liveness-extra, imported). Every photo is measured once (``pad_features``,
cached in DIR: the first run takes about 0.2 s a photo on an idle 2-core machine, the next
seconds). Each source of --labels (the ``source`` column, else the CSV's folder) is held out in
turn; a candidate with a threshold takes it from the training side (BPCER <= 5%, pooled, as
``kiosk liveness train`` does) and the fusions are selected and fitted there too. --judge sets
are never trained on: each is scored by the candidate trained on all of --labels.
Prints a markdown table: APCER / BPCER per held-out source.

``--captures`` adds a table per candidate and held-out source, per frame and per sign-in capture,
at ``standard`` and ``adaptive`` (``pad_capture.capture_figures``: the session's own rule). A
capture takes ``min_valid_frames`` consecutive frames of one source and label in file-name order
(the login profile's default; frames within a source are bursts of one session, so consecutive
frames are the nearest thing to one capture), one starting at every frame. A candidate without a
trained band (the pair) has ``adaptive`` = ``standard``. ``--candidate`` keeps the candidates whose
name contains the text.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kiosk.cli.liveness_train import labelled_items  # noqa: E402
from kiosk.config import LoginProfile, load_settings  # noqa: E402
from kiosk.engine.analyzer import FaceAnalyzer  # noqa: E402
from kiosk.engine.pack import load_pack  # noqa: E402
from kiosk.engine.pad_capture import CaptureFigures, capture_figures  # noqa: E402
from kiosk.engine.pad_eval import bpcer_threshold  # noqa: E402
from kiosk.engine.pad_features import measure_rows  # noqa: E402
from kiosk.engine.pad_train import fit  # noqa: E402
from kiosk.engine.scene_cues import RING_BRIGHTNESS  # noqa: E402
from kiosk.engine.sheet_frame import MIN_SIDES, SPAN  # noqa: E402

COVERS = ("scene:cover_left", "scene:cover_right", "scene:cover_top", "scene:cover_bottom")

# A candidate: name -> (scores of the test rows given (train rows, test rows)), its threshold and its adaptive band.
Scorer = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, float, tuple[float, float]]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pack", type=Path)
    parser.add_argument("--labels", type=Path, action="append", required=True)
    parser.add_argument("--judge", type=Path, action="append", default=[])
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument("--captures", action="store_true", help="also the per-capture table (standard and adaptive)")
    parser.add_argument("--candidate", action="append", default=[], help="only candidates whose name contains this")
    args = parser.parse_args(argv)
    pack = load_pack(args.pack)
    settings = load_settings(environ={}, overrides={"models": str(pack.root), "runtime.providers": "CPUExecutionProvider"})
    analyzer = FaceAnalyzer.from_settings(pack, settings)
    items = labelled_items(args.labels + args.judge, None)
    judged = {p.parent.name for p in args.judge}
    names, rows = measure_rows(analyzer, items, args.cache, lambda d, n, _: d % 200 == 0 and print(f"measured {d}/{n}", file=sys.stderr))
    x = np.asarray([r.values for r in rows], np.float64)
    live = np.asarray([r.live for r in rows])
    source = np.asarray([r.source for r in rows])
    col = {n: i for i, n in enumerate(names)}

    def p_live(run: str) -> np.ndarray:
        ratios = x[:, [i for n, i in col.items() if n.startswith(run + ":")]]
        return 1.0 / (1.0 + np.exp(-ratios).sum(1))

    pair_runs = [f"{e.file}@{e.crop_scale:g}" for e in pack.liveness if e.crop_scale and e.fill == "shrink"]
    pair = np.mean([p_live(r) for r in pair_runs], 0)
    encloses = (np.nan_to_num(x[:, [col[c] for c in COVERS]]) >= SPAN).sum(1) >= MIN_SIDES

    def fixed(score: np.ndarray) -> Scorer:
        def scored(train: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, float, tuple[float, float]]:
            t = bpcer_threshold(score[train & live])
            return score[test], t, (t, t)

        return scored

    def fusion(keep: Callable[[str], bool], veto: np.ndarray | None = None) -> Scorer:
        chosen_cols = [i for n, i in col.items() if keep(n)]

        def score(train: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, float, tuple[float, float]]:
            model_names = [names[i] for i in chosen_cols]
            chosen, model, t, low, high = fit(model_names, x[train][:, chosen_cols], live[train], source[train], args.runs)
            p = model.probability(x[test][:, [col[n] for n in chosen]])
            return (np.where(veto[test], 0.0, p) if veto is not None else p), t, (low, high)

        return score

    runs_only = lambda n: not n.startswith("scene:")  # noqa: E731
    with_ring = lambda n: runs_only(n) or n == RING_BRIGHTNESS  # noqa: E731
    candidates: dict[str, Scorer] = {
        "pair (test pack, mean)": fixed(pair),
        "pair + enclosing-frame cue (today's default)": fixed(np.where(encloses, 0.0, pair)),
        f"fusion, {args.runs} runs": fusion(runs_only),
        f"fusion, {args.runs} runs + ring brightness (shipped)": fusion(with_ring),
        f"fusion, {args.runs} runs + ring, no CelebA model": fusion(lambda n: with_ring(n) and "celeba" not in n),
        f"fusion, {args.runs} runs + ring + enclosing-frame cue": fusion(with_ring, encloses),
    }
    candidates = {k: v for k, v in candidates.items() if not args.candidate or any(c in k for c in args.candidate)}
    trained_on = ~np.isin(source, list(judged))
    sources = list(dict.fromkeys(source.tolist()))
    # file-name order within each source: time order, what a capture's consecutive frames follow
    time_order = np.asarray([Path(r.image).name for r in rows])
    held: dict[tuple[str, str], tuple[np.ndarray, float, tuple[float, float]]] = {}
    print("| candidate | " + " | ".join(sources) + " | mean (spoof-context) |")
    print("|---|" + "---:|" * (len(sources) + 1))
    for label, scorer in candidates.items():
        cells, context = [], []
        for s in sources:
            test = source == s
            train = trained_on & ~test
            p, t, band = scorer(train, test)
            held[label, s] = p, t, band
            a, b = float(np.mean(p[~live[test]] >= t)), float(np.mean(p[live[test]] < t))
            cells.append(f"{a:.1%} / {b:.1%}")
            if s not in judged and s not in ("print-nuaa", "recapture-crops"):
                context.append((a, b))
        mean = np.mean(context, 0) if context else (np.nan, np.nan)
        print(f"| {label} | " + " | ".join(cells) + f" | {mean[0]:.1%} / {mean[1]:.1%} |", flush=True)
    if args.captures:
        print_captures(held, live, source, time_order, judged)
    return 0


def print_captures(
    held: dict[tuple[str, str], tuple[np.ndarray, float, tuple[float, float]]],
    live: np.ndarray,
    source: np.ndarray,
    time_order: np.ndarray,
    judged: set[str],
) -> None:
    """Per frame and per capture (the login profile's ``min_valid_frames`` and ``max_frames``), at both levels."""
    profile = LoginProfile()
    print(
        f"\nPer frame and per capture ({profile.min_valid_frames} frames, at most {profile.max_frames}); "
        "APCER / BPCER, adaptive also genuine asked to turn and attacks in the band\n"
    )
    print(
        "| candidate | held-out source | band | frames live / spoof | per frame standard | per frame adaptive (APCER / BPCER / turn / attacks in band) "
        "| captures live / spoof | per capture standard | per capture adaptive (APCER / BPCER / turn / attacks in band) |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|---:|")

    def level(f: CaptureFigures) -> str:
        return f"{f.apcer:.1%} / {f.bpcer:.1%} / {f.asked_to_turn:.1%} / {f.attacks_in_band:.1%}"

    means: dict[str, list[list[float]]] = {}
    for (label, s), (p, t, band) in held.items():
        order = np.argsort(time_order[source == s], kind="stable")
        p, lv = p[order], live[source == s][order]
        runs = np.zeros(len(p), int)
        frame_std = capture_figures(p, lv, runs, 1, (t, t), 1)
        frame_ad = capture_figures(p, lv, runs, 1, band, 1)
        cap_std = capture_figures(p, lv, runs, profile.min_valid_frames, (t, t), profile.max_frames)
        cap_ad = capture_figures(p, lv, runs, profile.min_valid_frames, band, profile.max_frames)
        print(
            f"| {label} | {s} | {band[0]:.2f} .. {band[1]:.2f} | {frame_std.live} / {frame_std.spoof} | "
            f"{frame_std.apcer:.1%} / {frame_std.bpcer:.1%} | {level(frame_ad)} | {cap_std.live} / {cap_std.spoof} | "
            f"{cap_std.apcer:.1%} / {cap_std.bpcer:.1%} | {level(cap_ad)} |",
            flush=True,
        )
        if s not in judged and s not in ("print-nuaa", "recapture-crops"):
            means.setdefault(label, []).append(
                [frame_std.apcer, frame_std.bpcer, frame_ad.apcer, frame_ad.bpcer, frame_ad.asked_to_turn, frame_ad.attacks_in_band]
                + [cap_std.apcer, cap_std.bpcer, cap_ad.apcer, cap_ad.bpcer, cap_ad.asked_to_turn, cap_ad.attacks_in_band]
            )
    for label, values in means.items():
        m = np.nanmean(values, 0)
        worst_turn = np.nanmax(np.asarray(values)[:, 10])
        print(
            f"| {label} | **mean over the context sources** (worst genuine asked to turn per capture: {worst_turn:.1%}) | | | "
            f"{m[0]:.1%} / {m[1]:.1%} | {m[2]:.1%} / {m[3]:.1%} / {m[4]:.1%} / {m[5]:.1%} | | "
            f"{m[6]:.1%} / {m[7]:.1%} | {m[8]:.1%} / {m[9]:.1%} / {m[10]:.1%} / {m[11]:.1%} |",
            flush=True,
        )


if __name__ == "__main__":
    raise SystemExit(main())
