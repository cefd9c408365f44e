"""What teaching a kiosk its camera buys: taught with a source's first frames, measured on the rest of it.

    uv run --frozen python scripts/teach_figures.py [--source NAME ...] [--share 0.25] [--cache DIR] [--captures]

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

``--keep-rules`` (with the development data) also measures other keep rules on the same fits
(``RULES`` below; docs/capture.md): for each, what it keeps and the figures on the rest as the
kiosk would run it, against today's rule (the held-back quarter, no worse on both sides) and
against not teaching. The cross-fitted judge scores each fitted taught sample by a fit without
its block (``pad_train.site_scores``, the scores train_fusion sets the threshold on) and judges
each block at a threshold chosen without that block's real faces, so a block's real faces never
judge a threshold they set.

``--captures`` adds, on the same rest of each source, the ``standard`` and ``adaptive`` levels per
frame and per sign-in capture (``pad_capture.capture_figures`` with the login profile's
``min_valid_frames`` and ``max_frames``, the windows of ``scripts/pad_loso.py --captures``): the
pack's check at its threshold and band (a pack without a measured band asks every capture at or
above ``liveness`` to turn), the taught check at its ``liveness`` and ``liveness_low`` ..
``liveness_high``, and the one the kiosk runs (a refused retrain keeps the old check and its band).
Whether ``adaptive`` after teaching meets issue 20's targets: docs/capture.md.

``--start-trained`` starts each source's kiosk from a pack trained out of the box without that
source (``pad_train.train_fusion`` on the other spoof-context sources and NUAA, as ``kiosk
liveness build-default`` trains, on ``--pack``'s liveness models, written by
``write_trained_pack``): "not taught" is then that pack's fusion and band, the check a refused
retrain keeps, instead of ``--pack``'s own.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kiosk.config import LoginProfile, load_settings  # noqa: E402
from kiosk.engine.analyzer import FaceAnalyzer  # noqa: E402
from kiosk.engine.pack import load_pack  # noqa: E402
from kiosk.engine.pad_capture import CaptureFigures, capture_figures  # noqa: E402
from kiosk.engine.pad_eval import TARGET_BPCER, apcer, bpcer_threshold  # noqa: E402
from kiosk.engine.pad_train import FOLDS, SITE_SLACK, calibrate, fill_missing, train_fusion, write_trained_pack, groups_of, held_out_probability, site_scores  # noqa: E402
from kiosk.engine.site_liveness import SITE, FeatureRows, Figures, dev_features, fit_site_fusion, fusion_scores, pack_scores  # noqa: E402
from kiosk.flows.teach import TeachOutcome, held_back, site_only_keeps, site_rows, train_on_site  # noqa: E402
from kiosk.store.liveness_samples import LivenessSample  # noqa: E402

# Keep rules measured by --keep-rules: (name, what it judges on). "all-taught" trains on every
# taught sample (nothing held back) and judges on their cross-fitted scores alone.
RULES = (
    ("held-back", "today: the held-back quarter, no worse on both sides"),
    ("held-back+1", "the held-back quarter, at most one more frame wrong per side"),
    ("cross-fit", "every taught sample (fitted ones cross-fitted), no worse on both sides"),
    ("cross-fit-strict", "every taught sample, no worse on both sides and strictly better on one"),
    ("cross-fit+1", "every taught sample, at most one more frame wrong per side"),
    ("cross-fit-naive", "every taught sample at the fusion's own threshold (the optimistic judge)"),
    ("all-taught", "nothing held back: trained on every taught sample, judged on their cross-fitted scores"),
)


def cross_fitted(dev: FeatureRows, fitted: FeatureRows, features: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, float]:
    """Each fitted site row's score by a fit without its block, the threshold judging it (chosen without its block's real faces), and the fit's own threshold.

    As ``pad_train.fit`` with ``calibrate_on=SITE``: the site rows' block scores (``site_scores``)
    set the threshold, capped by the other rooms' held-out real faces plus ``SITE_SLACK``.
    """
    rows = FeatureRows.join([dev, fitted])
    x = fill_missing(rows.columns(features))
    site = rows.sources == SITE
    own = site_scores(x, rows.live, site)
    groups, _ = groups_of(rows.sources)
    others = np.where(site, np.nan, held_out_probability(x, rows.live, groups))
    cap = calibrate(others, rows.live, groups, TARGET_BPCER + SITE_SLACK)
    folds = np.full(len(rows), -1)
    for label in (True, False):
        index = np.flatnonzero(site & (rows.live == label))
        folds[index] = np.minimum((np.arange(len(index)) * FOLDS) // max(1, len(index)), FOLDS - 1)
    real = site & rows.live
    per_block = {k: min(bpcer_threshold(own[real & (folds != k)]), cap) for k in range(FOLDS)}
    thresholds = np.array([per_block[k] for k in folds[site]])
    return own[site], thresholds, min(bpcer_threshold(own[real]), cap)


class Errors(NamedTuple):
    """Counts, not rates: a tolerance of one frame is one frame whatever the judge's size."""

    accepted: int  # attacks accepted
    refused: int  # real faces refused
    attacks: int
    real: int

    def __str__(self) -> str:
        return f"{self.accepted}/{self.attacks} {self.refused}/{self.real}"

    def figures(self) -> Figures:
        return Figures(0.0, self.accepted / self.attacks, self.refused / self.real, self.real, self.attacks)


def errors(scores: np.ndarray, live: np.ndarray, thresholds: np.ndarray | float) -> Errors:
    """The errors of ``scores`` at one threshold, or at each row's own (the cross-fitted judge)."""
    t = np.broadcast_to(np.asarray(thresholds, np.float64), scores.shape)
    return Errors(int((scores[~live] >= t[~live]).sum()), int((scores[live] < t[live]).sum()), int((~live).sum()), int(live.sum()))


def keeps(before: Errors, after: Errors, rule: str) -> bool:
    """Whether ``rule`` keeps the new check: no worse on both sides, "+1" one frame of slack per side, "-strict" also strictly better on one (``site_only_keeps``)."""
    if rule.endswith("-strict"):
        return site_only_keeps(before.figures(), after.figures())
    slack = 1 if rule.endswith("+1") else 0
    return after.accepted <= before.accepted + slack and after.refused <= before.refused + slack


@dataclass(frozen=True)
class Decision:
    """What one keep rule did with one source's retrain: kept or not, the error counts it judged on, and the rest as the kiosk runs it."""

    kept: bool
    judged: str
    running: Figures


def rule_decisions(analyzer: FaceAnalyzer, samples: list[LivenessSample], dev: FeatureRows, outcome: TeachOutcome, rest: FeatureRows) -> dict[str, Decision]:
    """Each rule of ``RULES`` on one source: ``dev`` without it, ``outcome`` today's retrain, ``rest`` its frames never taught."""
    pack, checker = analyzer.pack, analyzer.liveness_checker
    untaught = Figures.of(pack_scores(pack, checker, rest), rest.live, pack.thresholds.liveness)
    trained = Figures.of(fusion_scores(outcome.fusion, rest), rest.live, outcome.fusion.liveness)
    held = held_back(samples)
    rows = site_rows(samples, dev.names)
    check, fitted = rows.subset(held), rows.subset(~held)
    before_all = errors(pack_scores(pack, checker, rows), rows.live, pack.thresholds.liveness)
    crossed, per_block, own_t = cross_fitted(dev, fitted, outcome.fusion.features)
    if abs(own_t - outcome.fusion.liveness) > 1e-9:
        raise AssertionError(f"cross_fitted's threshold {own_t} is not train_fusion's {outcome.fusion.liveness}")
    judged = np.empty(len(rows))
    judged[~held], judged[held] = crossed, fusion_scores(outcome.fusion, check)
    t = np.empty(len(rows))
    t[~held], t[held] = per_block, outcome.fusion.liveness
    before_held = errors(pack_scores(pack, checker, check), check.live, pack.thresholds.liveness)
    judges = {
        "held-back": (before_held, errors(judged[held], check.live, outcome.fusion.liveness)),
        "cross-fit": (before_all, errors(judged, rows.live, t)),
        "cross-fit-naive": (before_all, errors(judged, rows.live, outcome.fusion.liveness)),
    }
    out = {}
    for rule, _ in RULES[:-1]:
        before, after = judges[rule.split("+")[0].removesuffix("-strict")]
        kept = keeps(before, after, rule)
        out[rule] = Decision(kept, f"{before} -> {after}", trained if kept else untaught)
    if out["held-back"].kept != outcome.kept:
        raise AssertionError("the held-back rule here is not train_on_site's")
    # Nothing held back: a fit on every taught sample, judged on their cross-fitted scores alone.
    fusion = fit_site_fusion(dev, rows)
    crossed, per_block, _ = cross_fitted(dev, rows, fusion.features)
    after = errors(crossed, rows.live, per_block)
    kept = keeps(before_all, after, "all-taught")
    figures = Figures.of(fusion_scores(fusion, rest), rest.live, fusion.liveness)
    out["all-taught"] = Decision(kept, f"{before_all} -> {after} (trained: {figures.describe()})", figures if kept else untaught)
    return out


def print_rules(by_rule: dict[str, dict[str, Decision]], untaught: dict[str, Figures]) -> None:
    """Per rule and source: kept or not, the counts it judged on (attacks accepted, real faces refused: before -> after), and the rest as the kiosk runs it; then per rule against today's rule and not teaching."""
    today = {source: d.running for source, d in by_rule["held-back"].items()}
    print("\n| rule | source | kept | judged: attacks accepted, real refused (before -> after) | rest as the kiosk runs it |")
    print("|---|---|---|---|---:|")
    summary = []
    for rule, what in RULES:
        for source, d in by_rule[rule].items():
            print(f"| {rule} | {source} | {'yes' if d.kept else 'no'} | {d.judged} | {d.running.apcer:.1%} / {d.running.bpcer:.1%} |")
        runs = {source: d.running for source, d in by_rule[rule].items()}
        mean = np.mean([(r.apcer, r.bpcer) for r in runs.values()], axis=0)
        worse_untaught = [s for s, r in runs.items() if not r.no_worse_than(untaught[s])]
        worse_today = [s for s, r in runs.items() if not r.no_worse_than(today[s])]
        better_today = [s for s, r in runs.items() if s not in worse_today and not today[s].no_worse_than(r)]
        summary.append(
            f"| {rule} | {what} | {mean[0]:.1%} / {mean[1]:.1%} | {', '.join(worse_untaught) or 'none'} | "
            f"{', '.join(worse_today) or 'none'} | {', '.join(better_today) or 'none'} |"
        )
    print("\n| rule | judge | mean on the rest as the kiosk runs it | worse than not teaching | worse than today's rule | better than today's rule |")
    print("|---|---|---:|---|---|---|")
    print("\n".join(summary))


@dataclass(frozen=True)
class Levels:
    """One check on the rest of one source at both levels, per frame and per sign-in capture."""

    band: tuple[float, float]
    frame_standard: CaptureFigures
    frame_adaptive: CaptureFigures
    capture_standard: CaptureFigures
    capture_adaptive: CaptureFigures

    @classmethod
    def of(cls, scores: np.ndarray, live: np.ndarray, order: np.ndarray, liveness: float, band: tuple[float, float]) -> Levels:
        """``scores`` of one source's rows, replayed in ``order`` (file-name order, time order) as one run per label."""
        profile = LoginProfile()
        s, lv, runs = scores[order], live[order], np.zeros(len(order), int)
        needed, most = profile.min_valid_frames, profile.max_frames
        return cls(
            band,
            capture_figures(s, lv, runs, 1, (liveness, liveness), 1),
            capture_figures(s, lv, runs, 1, band, 1),
            capture_figures(s, lv, runs, needed, (liveness, liveness), most),
            capture_figures(s, lv, runs, needed, band, most),
        )

    def values(self) -> list[float]:
        """standard APCER, BPCER, adaptive APCER, BPCER, asked to turn, attacks in band: per frame, then per capture."""
        out: list[float] = []
        for standard, adaptive in ((self.frame_standard, self.frame_adaptive), (self.capture_standard, self.capture_adaptive)):
            out += [standard.apcer, standard.bpcer, adaptive.apcer, adaptive.bpcer, adaptive.asked_to_turn, adaptive.attacks_in_band]
        return out


CHECKS = ("not taught", "taught check", "as the kiosk runs it")


def print_levels(levels: dict[str, dict[str, Levels]]) -> None:
    """Per source and check (``CHECKS``): the band, then per frame and per capture ``standard`` and ``adaptive``; then the mean per check and its worst room."""
    profile = LoginProfile()
    print(
        f"\nOn the rest of each source, per frame and per capture ({profile.min_valid_frames} frames, at most {profile.max_frames}); "
        "APCER / BPCER, adaptive also genuine asked to turn and attacks in the band\n"
    )
    print(
        "| source | check | band | per frame standard | per frame adaptive (APCER / BPCER / turn / attacks in band) "
        "| captures live / spoof | per capture standard | per capture adaptive (APCER / BPCER / turn / attacks in band) |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|")

    def cells(v: list[float] | np.ndarray, at: int) -> str:
        return f"{v[at]:.1%} / {v[at + 1]:.1%} | {v[at + 2]:.1%} / {v[at + 3]:.1%} / {v[at + 4]:.1%} / {v[at + 5]:.1%}"

    for source, by_check in levels.items():
        for check, f in by_check.items():
            v = f.values()
            band = f"{f.band[0]:.2f} .. {f.band[1]:.2f}" if np.isfinite(f.band[1]) else f"{f.band[0]:.2f} .. (none: every capture turns)"
            print(f"| {source} | {check} | {band} | {cells(v, 0)} | {f.capture_standard.live} / {f.capture_standard.spoof} | {cells(v, 6)} |")
    for check in CHECKS:
        values = np.asarray([by_check[check].values() for by_check in levels.values()])
        mean = np.nanmean(values, 0)
        worst = int(np.nanargmax(values[:, 10]))
        print(
            f"| **mean** ({len(values)} sources) | {check} | worst genuine asked to turn per capture: {values[worst, 10]:.1%} "
            f"({list(levels)[worst]}); worst APCER per capture: standard {np.nanmax(values[:, 6]):.1%}, adaptive {np.nanmax(values[:, 8]):.1%} "
            f"| {cells(mean, 0)} | | {cells(mean, 6)} |"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pack", type=Path, default=REPO.parent / "shared" / "models" / "test-pack")
    parser.add_argument("--source", action="append", help="spoof-context source to teach (default: every source)")
    parser.add_argument("--share", type=float, default=0.25, help="share of each label's first frames taught (default 0.25)")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "kiosk-teach-cache")
    parser.add_argument("--site-only", action="store_true", help="teach with the site samples alone, as a kiosk without the development data does")
    parser.add_argument("--keep-rules", action="store_true", help="also measure the keep rules of RULES on the same fits (with the development data)")
    parser.add_argument("--captures", action="store_true", help="also standard and adaptive per frame and per sign-in capture, before and after teaching")
    parser.add_argument("--start-trained", action="store_true", help="start each kiosk from a pack trained out of the box without the taught source")
    args = parser.parse_args(argv)
    if args.keep_rules and args.site_only:
        parser.error("--keep-rules measures the development-data mode's keep rule: leave out --site-only")
    settings = load_settings(overrides={"models": str(args.pack), "runtime.providers": "CPUExecutionProvider"}, environ={})
    analyzer = FaceAnalyzer.from_settings(load_pack(args.pack), settings)
    dev = dev_features(analyzer, None, args.cache, lambda i, n: print(f"development features {i}/{n}", file=sys.stderr) if i % 200 == 0 else None)
    sources = args.source or sorted(set(dev.sources) - {"print-nuaa", "recapture-crops"})
    means: list[tuple[float, float, float, float]] = []
    worse: list[str] = []
    by_rule: dict[str, dict[str, Decision]] = {rule: {} for rule, _ in RULES}
    untaught: dict[str, Figures] = {}
    levels: dict[str, dict[str, Levels]] = {}
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
            LivenessSample(int(i), "faces" if mine.live[i] else "attacks", "real" if mine.live[i] else "phone", f"2026-01-01T00:{k // 60:02d}:{k % 60:02d}", mine.names, mine.x[i])
            for k, i in enumerate(sorted(np.flatnonzero(taught), key=lambda i: (names[i], i)))
        ]
        with tempfile.TemporaryDirectory() as models:
            kiosk = analyzer
            if args.start_trained:
                base = dev.subset((dev.sources != source) & (dev.sources != "recapture-crops"))
                shipped = train_fusion(base.names, base.x, base.live, base.sources)
                kiosk = FaceAnalyzer.from_settings(write_trained_pack(analyzer.pack, shipped, Path(models) / "out-of-the-box"), settings)
            outcome = train_on_site(kiosk, samples, None if args.site_only else dev.subset(dev.sources != source), Path(models))
        rest = mine.subset(~taught)
        scores_before = pack_scores(kiosk.pack, kiosk.liveness_checker, rest)
        scores_after = fusion_scores(outcome.fusion, rest)
        before = Figures.of(scores_before, rest.live, kiosk.pack.thresholds.liveness)
        after = Figures.of(scores_after, rest.live, outcome.fusion.liveness)
        # How well the scores separate, whatever the threshold: the highest one refusing at most 5% of the rest's real faces.
        running = after if outcome.kept else before  # a refused retrain keeps the old check
        means.append((before.apcer, before.bpcer, running.apcer, running.bpcer))
        worse += [source] if running.apcer > before.apcer or running.bpcer > before.bpcer else []
        if args.keep_rules:
            untaught[source] = before
            for rule, decision in rule_decisions(kiosk, samples, dev.subset(dev.sources != source), outcome, rest).items():
                by_rule[rule][source] = decision
        if args.captures:
            order = np.argsort(names[~taught], kind="stable")
            pack_level = Levels.of(scores_before, rest.live, order, kiosk.pack.thresholds.liveness, kiosk.pack.thresholds.band)
            fusion = outcome.fusion
            taught_level = Levels.of(scores_after, rest.live, order, fusion.liveness, (fusion.liveness_low, fusion.liveness_high))
            levels[source] = dict(zip(CHECKS, (pack_level, taught_level, taught_level if outcome.kept else pack_level), strict=True))
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
    if args.keep_rules:
        print_rules(by_rule, untaught)
    if args.captures:
        print_levels(levels)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
