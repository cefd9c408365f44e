"""What teaching a kiosk its camera buys: taught with a source's first frames, measured on the rest of it.

    uv run --frozen python scripts/teach_figures.py [--source NAME ...] [--share 0.25] [--cache DIR]

Each source of ../shared/faces/spoof-context stands in for one kiosk's camera in turn: the
first quarter of its live frames and of its attack frames in file-name order (time order)
are taught as site samples (``kiosk/flows/teach.py`` ``train_on_site``, which holds back its
own last quarter of them to decide whether to keep the new check), the development rows are
every other source plus NUAA and the recaptures (never the taught source), and the figures
are APCER and BPCER on the source's remaining three quarters: before (the pack's own check
at its threshold) and after (the check ``pad_train.train_fusion`` trained, at its standard
threshold). The development features are computed once into --cache (minutes; per photo, the
same cache ``kiosk liveness train --cache`` keeps), as the kiosk does into <data>/cache.

``--site-only`` measures what an installed kiosk could do without the development data (which
is never shipped): a logistic fit on the taught samples alone, over the features the pack's
check already reads, pulled toward that check (a Gaussian prior of strength ``--prior-c``
centred on the weights that reproduce its scores, ``prior_weights``) instead of toward zero.
Its threshold comes from the taught real faces, each block of them in time order scored by a
fit without it (``pad_train.site_scores``): ``faces`` refuses at most 5% of them (capped at the
current check's share plus ``SITE_SLACK``); ``matched`` refuses as many as the current check
does when that is over 5%, else takes the lower of the 5% threshold and the pack's. ``--keep``
is the keep rule: ``held-back`` as the kiosk's (no worse on its held-back samples);
``taught-strict`` judges on every taught sample (the fit's block-held-out scores) and keeps only
a check strictly better on one side. Not in the product: it did not meet the bar (docs/capture.md).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kiosk.config import load_settings  # noqa: E402
from kiosk.engine.analyzer import FaceAnalyzer  # noqa: E402
from kiosk.engine.pack import load_pack  # noqa: E402
from kiosk.engine.liveness import LivenessChecker  # noqa: E402
from kiosk.engine.pack import ModelPack  # noqa: E402
from kiosk.engine.pad_eval import TARGET_BPCER, apcer, bpcer, bpcer_threshold  # noqa: E402
from kiosk.engine.pad_fusion import Logistic, fit_logistic  # noqa: E402
from kiosk.engine.pad_train import SITE_SLACK, site_scores  # noqa: E402
from kiosk.engine.site_liveness import FeatureRows, Figures, dev_features, fusion_scores, pack_scores  # noqa: E402
from kiosk.flows.teach import held_back, site_rows, train_on_site  # noqa: E402
from kiosk.store.liveness_samples import LivenessSample  # noqa: E402


@dataclass(frozen=True)
class SiteOnly:
    """A check fitted on the taught samples alone, and what the keep rule measured."""

    features: tuple[str, ...]
    model: Logistic
    threshold: float
    kept: bool
    before: Figures
    after: Figures

    def scores(self, rows: FeatureRows) -> np.ndarray:
        return np.asarray(self.model.probability(rows.columns(self.features).astype(np.float64)))


def check_features(pack: ModelPack, checker: LivenessChecker, names: Sequence[str]) -> tuple[str, ...]:
    """The features the pack's check reads: its fusion's, else each liveness model's at its crop scale."""
    if checker.fusion is not None:
        return tuple(checker.fusion[0].features)
    return tuple(n for entry in pack.liveness for n in names if n.startswith(f"{entry.file}@{entry.crop_scale or 1.0:g}:"))


def prior_weights(pack: ModelPack, checker: LivenessChecker, rows: FeatureRows, features: Sequence[str]) -> np.ndarray:
    """Raw-feature weights whose logistic reproduces the pack's scores on ``rows`` as closely as a logistic can (least squares on log-odds; no labels)."""
    p = np.clip(pack_scores(pack, checker, rows), 1e-4, 1 - 1e-4)
    design = np.hstack([rows.columns(features).astype(np.float64), np.ones((len(rows), 1))])
    solution, *_ = np.linalg.lstsq(design, np.log(p / (1 - p)), rcond=None)
    return np.asarray(solution[:-1])


def teach_site_only(pack: ModelPack, checker: LivenessChecker, samples: Sequence[LivenessSample], c: float, threshold_rule: str, keep: str) -> SiteOnly:
    """The site-only fit, its threshold and the keep rule, on the samples as the kiosk holds them."""
    held = held_back(samples)
    rows = site_rows(samples, samples[0].features)
    taught = rows.subset(~held)
    features = check_features(pack, checker, rows.names)
    x = taught.columns(features).astype(np.float64)
    toward = prior_weights(pack, checker, taught, features)
    own = site_scores(x, taught.live, np.ones(len(taught), bool), c, toward)
    current = bpcer(pack_scores(pack, checker, taught)[taught.live], pack.thresholds.liveness)
    if threshold_rule == "faces":
        threshold = bpcer_threshold(own[taught.live], min(TARGET_BPCER, current + SITE_SLACK))
    else:
        threshold = bpcer_threshold(own[taught.live], max(TARGET_BPCER, current))
        threshold = min(threshold, pack.thresholds.liveness) if current <= TARGET_BPCER else threshold
    model = fit_logistic(x, taught.live, c, toward=toward)
    fitted = SiteOnly(features, model, threshold, False, Figures(0, 0, 0, 0, 0), Figures(0, 0, 0, 0, 0))
    check = rows.subset(held)
    before = Figures.of(pack_scores(pack, checker, check), check.live, pack.thresholds.liveness)
    after = Figures.of(fitted.scores(check), check.live, threshold)
    if keep == "held-back":
        kept = after.no_worse_than(before)
    else:  # every taught sample, the fitted ones scored by the fits that did not see their block
        judged = np.empty(len(rows))
        judged[~held], judged[held] = own, fitted.scores(check)
        before = Figures.of(pack_scores(pack, checker, rows), rows.live, pack.thresholds.liveness)
        after = Figures.of(judged, rows.live, threshold)
        kept = after.no_worse_than(before) and (after.apcer < before.apcer or after.bpcer < before.bpcer)
    return SiteOnly(features, model, threshold, kept, before, after)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pack", type=Path, default=REPO.parent / "shared" / "models" / "test-pack")
    parser.add_argument("--source", action="append", help="spoof-context source to teach (default: every source)")
    parser.add_argument("--share", type=float, default=0.25, help="share of each label's first frames taught (default 0.25)")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "kiosk-teach-cache")
    parser.add_argument("--site-only", action="store_true", help="teach with the taught samples alone (an installed kiosk has no development data)")
    parser.add_argument("--prior-c", type=float, default=1.0, help="--site-only: how far the fit may move from the current check (default 1.0)")
    parser.add_argument("--site-threshold", choices=("faces", "matched"), default="matched", help="--site-only: the threshold rule (default matched)")
    parser.add_argument("--keep", choices=("held-back", "taught-strict"), default="taught-strict", help="--site-only: the keep rule (default taught-strict)")
    args = parser.parse_args(argv)
    settings = load_settings(overrides={"models": str(args.pack), "runtime.providers": "CPUExecutionProvider"}, environ={})
    analyzer = FaceAnalyzer.from_settings(load_pack(args.pack), settings)
    dev = dev_features(analyzer, None, args.cache, lambda i, n: print(f"development features {i}/{n}", file=sys.stderr) if i % 200 == 0 else None)
    sources = args.source or sorted(set(dev.sources) - {"print-nuaa", "recapture-crops"})
    means: list[tuple[float, float, float, float]] = []
    worse: list[str] = []
    print(
        "| source | taught live / attacks | checked live / attacks | before APCER / BPCER | after APCER / BPCER (threshold) "
        "| APCER at BPCER <= 5%: before / after | kept by the retrain (its held-back figures) |"
    )
    print("|---|---:|---:|---:|---:|---:|---|")
    for source in sources:
        mine = dev.subset(dev.sources == source)
        names = np.array([Path(g.split("/", 1)[1]).name for g in mine.groups])
        taught = np.zeros(len(mine), bool)
        for live in (True, False):
            index = np.flatnonzero(mine.live == live)
            index = index[np.argsort(names[index], kind="stable")]
            taught[index[: int(round(args.share * len(index)))]] = True
        samples = [
            LivenessSample(i, "faces" if mine.live[i] else "attacks", "real" if mine.live[i] else "phone", f"2026-01-01T00:{k // 60:02d}:{k % 60:02d}", mine.names, mine.x[i])
            for k, i in enumerate(sorted(np.flatnonzero(taught), key=lambda i: (names[i], i)))
        ]
        rest = mine.subset(~taught)
        scores_before = pack_scores(analyzer.pack, analyzer.liveness_checker, rest)
        before = Figures.of(scores_before, rest.live, analyzer.pack.thresholds.liveness)
        if args.site_only:
            fitted = teach_site_only(analyzer.pack, analyzer.liveness_checker, samples, args.prior_c, args.site_threshold, args.keep)
            scores_after, threshold, kept, judged = fitted.scores(rest), fitted.threshold, fitted.kept, (fitted.before, fitted.after)
        else:
            with tempfile.TemporaryDirectory() as models:
                outcome = train_on_site(analyzer, samples, dev.subset(dev.sources != source), Path(models))
            scores_after, threshold, kept, judged = fusion_scores(outcome.fusion, rest), outcome.fusion.liveness, outcome.kept, (outcome.before, outcome.after)
        after = Figures.of(scores_after, rest.live, threshold)
        running = after if kept else before  # a refused retrain keeps the old check
        means.append((before.apcer, before.bpcer, running.apcer, running.bpcer))
        worse += [source] if running.apcer > before.apcer or running.bpcer > before.bpcer else []
        # How well the scores separate, whatever the threshold: the highest one refusing at most 5% of the rest's real faces.
        separation = [apcer(s[~rest.live], bpcer_threshold(s[rest.live])) for s in (scores_before, scores_after)]
        print(
            f"| {source} | {int(mine.live[taught].sum())} / {int((~mine.live[taught]).sum())} | {after.live} / {after.spoof} | "
            f"{before.apcer:.1%} / {before.bpcer:.1%} | {after.apcer:.1%} / {after.bpcer:.1%} ({after.threshold:.2f}) | "
            f"{separation[0]:.1%} / {separation[1]:.1%} | "
            f"{'yes' if kept else 'no'} (before {judged[0].describe()}; after {judged[1].describe()}) |",
            flush=True,
        )
    mean = np.mean(means, axis=0)
    print(
        f"\nas the kiosk runs them (a refused retrain keeps the old check): mean APCER / BPCER {mean[2]:.1%} / {mean[3]:.1%} "
        f"(untaught {mean[0]:.1%} / {mean[1]:.1%}); worse than untaught on: {', '.join(worse) or 'none'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
