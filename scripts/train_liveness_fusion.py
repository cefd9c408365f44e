"""Train the optional ``liveness_fusion`` model of a pack on labelled photos, and report held-out figures.

Issue 12's script (5 folds by person or photo, the two spoof-dev sets). The product command is now
``kiosk liveness train`` (held out by source, cached features, the scene cue, a complete verified
pack with the adaptive band; docs/capture.md "Trained in context"); this one is kept to reproduce
issue 12's figures.

    uv run --frozen python scripts/train_liveness_fusion.py PACK OUT.onnx \
        --labels ../shared/faces/spoof-dev/print-nuaa/labels.csv \
        --labels ../shared/faces/spoof-dev/recapture-crops/labels.csv

PACK is an imported pack (``kiosk models import``) holding the liveness models the fusion
reads (e.g. the test pack plus ../shared/models/liveness-extra). Every photo's largest face
is run once through every liveness model at every candidate crop scale
(``pad_fusion.CANDIDATE_SCALES``); ``--runs`` model runs (default 4, the per-frame cost) are
then chosen by greedy forward selection on held-out folds (``pad_fusion.select_runs``), each
run giving all its class log-ratios. Held out, so the figures are not the training set's:
(1) 5 folds by group, a group
being one person of a labels file when the file names start with a person number (NUAA's
``0001_...``) and one photo otherwise; (2) each labels file predicted by a model trained on
the others only. The threshold is the one ``kiosk liveness eval`` would recommend on the
held-out live scores (BPCER <= 5%). Then the model is fitted on everything and written to
OUT.onnx; copy it into the pack folder and import the folder again to use it.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kiosk.config import load_settings  # noqa: E402
from kiosk.engine.analyzer import FaceAnalyzer  # noqa: E402
from kiosk.engine.pack import load_pack  # noqa: E402
from kiosk.engine.pad_eval import LIVE, apcer, bpcer, bpcer_threshold, read_labels  # noqa: E402
from kiosk.engine.pad_fusion import (  # noqa: E402
    SELECTED_RUNS,
    candidate_runs,
    fit_logistic,
    held_out_decisions,
    image_features,
    run_features,
    select_runs,
    write_onnx,
)
from kiosk.errors import KioskError  # noqa: E402

PERSON = re.compile(r"^(\d+)_")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pack", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--labels", type=Path, action="append", required=True, help="image,label[,attack] CSV; images relative to its folder")
    parser.add_argument("--runs", type=int, default=SELECTED_RUNS, help=f"model runs per frame to select (default {SELECTED_RUNS})")
    args = parser.parse_args(argv)
    settings = load_settings(overrides={"models": str(args.pack), "runtime.providers": "CPUExecutionProvider"})
    pack = load_pack(args.pack)
    analyzer = FaceAnalyzer.from_settings(pack, settings)
    checker = analyzer.liveness_checker
    runs = candidate_runs(checker)
    per_run = {run: run_features(checker, *run) for run in runs}
    compute = image_features(analyzer, tuple(f for run in runs for f in per_run[run]))
    x, live, groups, sources = [], [], [], []
    for csv_path in args.labels:
        rows = [r for r in read_labels(csv_path) if not r.problem]
        for i, row in enumerate(rows):
            try:
                x.append(compute(csv_path.parent / row.image))
            except KioskError as exc:
                print(f"skipped {row.image}: {exc}", file=sys.stderr)
                continue
            live.append(row.label == LIVE)
            person = PERSON.match(Path(row.image).name)
            groups.append(f"{csv_path.parent.name}/{person.group(1) if person else row.image}")
            sources.append(csv_path.parent.name)
            if (i + 1) % 50 == 0:
                print(f"{csv_path.parent.name}: {i + 1}/{len(rows)}", file=sys.stderr)
    x, live, groups, sources = np.asarray(x), np.asarray(live), np.asarray(groups), np.asarray(sources)
    columns, start = {}, 0
    for run in runs:
        columns[run] = x[:, start : start + len(per_run[run])]
        start += len(per_run[run])
    chosen = select_runs(columns, live, groups, sources, args.runs)
    features = tuple(f for run in chosen for f in per_run[run])
    x = np.hstack([columns[run] for run in chosen])
    print(f"features ({len(chosen)} model runs): {', '.join(features)}")
    print("| held out | data | live | attacks | threshold (BPCER <= 5%) | APCER | BPCER |")
    print("|---|---|---:|---:|---:|---:|---:|")
    folds = held_out_decisions(x, live, groups)
    for source in dict.fromkeys(sources):
        _row("5 folds by person/photo", source, folds, live, sources == source)
    if len(set(sources)) > 1:
        for source in dict.fromkeys(sources):
            train = sources != source
            decision = fit_logistic(x[train], live[train]).decision(x)
            _row("whole data set", source, decision, live, sources == source)
    model = fit_logistic(x, live)
    write_onnx(model, features, args.out)
    print(f"written {args.out} (trained on all {len(x)} photos; weights {np.round(model.weights, 3).tolist()})")
    return 0


def _row(how: str, source: str, decision: np.ndarray, live: np.ndarray, mask: np.ndarray) -> None:
    probability = 1.0 / (1.0 + np.exp(-decision[mask]))
    lives, spoofs = probability[live[mask]], probability[~live[mask]]
    t = bpcer_threshold(lives)
    print(f"| {how} | {source} | {len(lives)} | {len(spoofs)} | {t:.2f} | {apcer(spoofs, t):.1%} | {bpcer(lives, t):.1%} |")


if __name__ == "__main__":
    raise SystemExit(main())
