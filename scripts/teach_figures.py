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

``--site-only`` teaches with the taught samples alone, as an installed kiosk without the
development data does (``site_liveness.fit_site_only``, judged by ``teach.site_only_keeps`` on
every taught sample). The last line gives the figures as the kiosk runs them (a refused retrain
keeps the old check) and the sources where that is worse than not teaching.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kiosk.config import load_settings  # noqa: E402
from kiosk.engine.analyzer import FaceAnalyzer  # noqa: E402
from kiosk.engine.pack import load_pack  # noqa: E402
from kiosk.engine.pad_eval import apcer, bpcer_threshold  # noqa: E402
from kiosk.engine.site_liveness import Figures, dev_features, fusion_scores, pack_scores  # noqa: E402
from kiosk.flows.teach import train_on_site  # noqa: E402
from kiosk.store.liveness_samples import LivenessSample  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pack", type=Path, default=REPO.parent / "shared" / "models" / "test-pack")
    parser.add_argument("--source", action="append", help="spoof-context source to teach (default: every source)")
    parser.add_argument("--share", type=float, default=0.25, help="share of each label's first frames taught (default 0.25)")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "kiosk-teach-cache")
    parser.add_argument("--site-only", action="store_true", help="teach with the site samples alone, as a kiosk without the development data does")
    args = parser.parse_args(argv)
    settings = load_settings(overrides={"models": str(args.pack), "runtime.providers": "CPUExecutionProvider"}, environ={})
    analyzer = FaceAnalyzer.from_settings(load_pack(args.pack), settings)
    dev = dev_features(analyzer, None, args.cache, lambda i, n: print(f"development features {i}/{n}", file=sys.stderr) if i % 200 == 0 else None)
    sources = args.source or sorted(set(dev.sources) - {"print-nuaa", "recapture-crops"})
    means: list[tuple[float, float, float, float]] = []
    worse: list[str] = []
    print(
        "| source | taught live / attacks | checked live / attacks | before APCER / BPCER | after APCER / BPCER (threshold) "
        "| APCER at BPCER <= 5%: before / after | kept by the retrain (the figures it judged on) |"
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
        with tempfile.TemporaryDirectory() as models:
            outcome = train_on_site(analyzer, samples, None if args.site_only else dev.subset(dev.sources != source), Path(models))
        rest = mine.subset(~taught)
        scores_before = pack_scores(analyzer.pack, analyzer.liveness_checker, rest)
        scores_after = fusion_scores(outcome.fusion, rest)
        before = Figures.of(scores_before, rest.live, analyzer.pack.thresholds.liveness)
        after = Figures.of(scores_after, rest.live, outcome.fusion.liveness)
        # How well the scores separate, whatever the threshold: the highest one refusing at most 5% of the rest's real faces.
        running = after if outcome.kept else before  # a refused retrain keeps the old check
        means.append((before.apcer, before.bpcer, running.apcer, running.bpcer))
        worse += [source] if running.apcer > before.apcer or running.bpcer > before.bpcer else []
        separation = [apcer(s[~rest.live], bpcer_threshold(s[rest.live])) for s in (scores_before, scores_after)]
        print(
            f"| {source} | {int(mine.live[taught].sum())} / {int((~mine.live[taught]).sum())} | {after.live} / {after.spoof} | "
            f"{before.apcer:.1%} / {before.bpcer:.1%} | {after.apcer:.1%} / {after.bpcer:.1%} ({after.threshold:.2f}) | "
            f"{separation[0]:.1%} / {separation[1]:.1%} | "
            f"{'yes' if outcome.kept else 'no'} (before {outcome.before.describe()}; after {outcome.after.describe()}) |",
            flush=True,
        )
    mean = np.mean(means, axis=0)
    print(
        f"\nas the kiosk runs them: mean APCER / BPCER {mean[2]:.1%} / {mean[3]:.1%} (not taught {mean[0]:.1%} / {mean[1]:.1%}); "
        f"worse than not teaching on: {', '.join(worse) or 'none'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
