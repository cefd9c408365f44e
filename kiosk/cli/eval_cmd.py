"""``kiosk eval PAIRS_CSV --root DIR``: accuracy, EER, TAR@FAR and a recommended threshold."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.cli.context import CliContext, emit_json
from kiosk.engine.calibration import plot_scores
from kiosk.engine.plots import plotting_backend
from kiosk.engine.pairs import CalibrationReport, Progress, calibrate


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "eval",
        help="evaluate the model pack on labelled image pairs (img_a,img_b,same)",
        description="Embed every image of a pairs CSV once, then report accuracy at the pack's high "
        "threshold, EER, TAR at FAR 1e-2 and 1e-3, and the thresholds calibration would write.",
    )
    parser.add_argument("pairs_csv", metavar="PAIRS_CSV", help="CSV with columns img_a,img_b,same (1 same person, 0 different)")
    parser.add_argument("--root", metavar="DIR", help="folder the image paths are relative to (default: the CSV's folder)")
    # Also accepted after the subcommand; SUPPRESS keeps a global --models given before it.
    parser.add_argument("--models", metavar="PACK", default=argparse.SUPPRESS, help="model pack folder")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--plot", metavar="FILE.png", help="draw score histograms and the ROC curve to a PNG (needs matplotlib)")
    parser.set_defaults(func=cmd_eval)


def cmd_eval(ctx: CliContext) -> int:
    args = ctx.args
    csv_path = Path(args.pairs_csv)
    root = Path(args.root) if args.root else csv_path.parent
    if args.plot:
        plotting_backend(Path(args.plot))  # fail before minutes of embedding, not after
    report = calibrate(ctx.pack, ctx.analyzer, csv_path, root, progress=ProgressLine())
    if args.json:
        emit_json(report.to_dict())
    else:
        print(format_report(report))
    if args.plot:
        written = plot_scores(report.evaluation, Path(args.plot))
        print(f"plot written to {written}", file=sys.stderr)
    return 0


class ProgressLine:
    """Embedding progress on stderr (stdout stays clean for --json): in place on a terminal, every 25 images otherwise."""

    def __init__(self, every: int = 25, verb: str = "embedding") -> None:
        self.tty = sys.stderr.isatty()
        self.every = every
        self.verb = verb

    def __call__(self, p: Progress) -> None:
        last = p.done == p.total
        if self.tty:
            sys.stderr.write(f"\r{self.verb} {p.done}/{p.total} images  {p.current[-40:]}\x1b[K" + ("\n" if last else ""))
        elif last or p.done % self.every == 0:
            sys.stderr.write(f"{self.verb} {p.done}/{p.total} images\n")
        sys.stderr.flush()


def format_report(report: CalibrationReport) -> str:
    d = report.to_dict()
    pairs, acc, eer, th = d["pairs"], d["accuracy"], d["eer"], d["threshold"]
    lines = [
        f"pack:       {pairs['pack']}",
        f"pairs:      {pairs['used']} used ({pairs['genuine']} same, {pairs['impostor']} different) of {pairs['listed']} listed; "
        f"{len(d['skipped'])} skipped; {pairs['images']} images embedded in {report.scored.elapsed_s:.1f} s",
    ]
    lines.extend(f"  skipped   {s['img_a']}, {s['img_b']}: {s['why']}" for s in d["skipped"])
    lines.append(
        f"accuracy:   {acc['value']:.2%} at the pack threshold {acc['threshold']:.2f} "
        f"({acc['correct']}/{acc['total']}; {acc['false_accepts']} false accepts, {acc['false_rejects']} false rejects)"
    )
    lines.append(f"EER:        {eer['value']:.2%} at threshold {eer['threshold']:.3f}")
    for label, t in d["tar_at_far"].items():
        note = f"  [{t['note']}]" if "note" in t else ""
        lines.append(
            f"TAR@FAR {label}: {t['tar']:.2%} at threshold {t['threshold']:.3f} "
            f"(FAR achieved {t['far']:.2%}, {t['false_accepts']}/{t['impostors']} false accepts){note}"
        )
    lines.append(f"scores:     lowest same-person {th['lowest_genuine']:.3f}, highest different-person {th['highest_impostor']:.3f}")
    lines.append(
        f"threshold:  recommended high {th['recommended_high']:.2f}, low {th['recommended_low']:.2f} "
        f"(pack now: {th['pack_high']:.2f} / {th['pack_low']:.2f}); rule: {th['rule']}"
    )
    return "\n".join(lines)
