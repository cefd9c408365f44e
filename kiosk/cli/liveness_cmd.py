"""``kiosk liveness eval LABELS_CSV --root DIR``: APCER / BPCER / ACER of the passive check on labelled photos."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from kiosk.cli.build_default import DEFAULT_NAME
from kiosk.cli.context import CliContext, emit_json
from kiosk.cli.teach_cmd import register_teaching
from kiosk.cli.eval_cmd import ProgressLine
from kiosk.config import ADAPTIVE, SECURITY_LEVELS, STRICT, effective_security, level_gates
from kiosk.engine.plots import plotting_backend
from kiosk.engine.pad_eval import TARGET_BPCER, PadEvaluation, evaluate_pad, plot_pad, read_labels, score_images
from kiosk.engine.pad_fusion import SELECTED_RUNS

STRICT_NOTE = (
    "strict adds the head-turn challenge, which one photo cannot show: these are the figures of its passive part; "
    "the challenge's figures on still attacks presented as video are in docs/capture.md (python -m bench strict)"
)

ADAPTIVE_NOTE = (
    "adaptive: a photo scoring in the pack's band (liveness_low .. liveness_high) is asked for the head turn, which a "
    "still picture cannot do: see 'adaptive' for what passes without a turn, what is refused and what is asked to turn"
)

FRAME_CUE_NOTE = (
    "enclosing-frame cue on: a face with a print's or phone's edges on 3 sides scores 0 "
    "(not run on tight crops padded for detection: they have no surroundings)"
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("liveness", help="measure presentation-attack detection on labelled photos")
    sub = parser.add_subparsers(dest="liveness_command", metavar="ACTION", required=True)
    p = sub.add_parser(
        "eval",
        help="APCER per attack type, BPCER, ACER and the threshold for BPCER <= 5%% on an image,label[,attack] CSV",
        description="Score the largest face of every photo once with the pack's passive liveness check and report "
        "APCER (attacks accepted, per attack type), BPCER (genuine faces refused) and ACER at the pack's threshold, "
        "and the highest threshold that refuses at most 5% of the genuine faces.",
    )
    p.add_argument("labels_csv", metavar="LABELS_CSV", help="CSV with columns image,label[,attack]; label is live or spoof")
    p.add_argument("--root", metavar="DIR", help="folder the image paths are relative to (default: the CSV's folder)")
    p.add_argument("--models", metavar="PACK", default=argparse.SUPPRESS, help="model pack folder, or the name of one in <data dir>/models")
    p.add_argument("--security", choices=SECURITY_LEVELS, help="security level (default: the login.security setting; auto: adaptive with a pack that measured its band, else standard)")
    p.add_argument(
        "--frame-cue",
        choices=("on", "off"),
        help="the enclosing-frame cue at standard and strict (a print's or phone's edges around the face refuse it; adaptive runs without it; default: the login.frame_cue setting)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--plot", metavar="FILE.png", help="draw the score histograms and the DET curve to a PNG (needs matplotlib)")
    p.set_defaults(func=cmd_eval)
    t = sub.add_parser(
        "train",
        help="train the pack's liveness fusion on labelled photos and write a new, verified pack with its thresholds",
        description="Run every photo's largest face through the pack's liveness models at every candidate crop scale "
        "(once; cached), select --runs model runs and fit a logistic fusion on the figures they give held out, then write "
        "OUT: the source pack's files, the fusion and thresholds.liveness (BPCER <= 5%) with the adaptive level's band. "
        "Prints the held-out figures: per source (a source column, or one per CSV) left out in turn, else 5 blocks in file order.",
    )
    t.add_argument("--labels", metavar="CSV", action="append", required=True, help="image,label[,attack][,source] CSV; repeat for more")
    t.add_argument("--root", metavar="DIR", help="folder every image path is relative to (default: each CSV's own folder)")
    t.add_argument("--pack", metavar="PACK", required=True, help="source pack: a folder, or the name of a pack in the data folder")
    t.add_argument(
        "--out", metavar="NEWPACK", required=True, help="new pack to write: a folder path, or a bare name for <data dir>/models/NAME (must not exist or be empty)"
    )
    t.add_argument("--runs", type=int, default=SELECTED_RUNS, help=f"model runs per frame to select (default {SELECTED_RUNS}: the per-frame cost)")
    t.add_argument("--cache", metavar="DIR", help="where measured features are kept between runs (default: <data dir>/cache)")
    t.add_argument("--json", action="store_true", help="print one JSON object")
    t.set_defaults(func=cmd_train)
    b = sub.add_parser(
        "build-default",
        help="build the pack trained on real attacks in context (once; later calls return at once) into <data dir>/models/NAME",
        description="Assemble the test pack + liveness-extra/minifas_celeba_128.onnx from the shared folder, train its fusion "
        "on spoof-context and print-nuaa (as `kiosk liveness train`), and write <data dir>/models/NAME for `kiosk --models NAME run`. "
        "Measured features are cached in <data dir>/cache, so a stopped build resumes; a built pack is verified and kept.",
    )
    b.add_argument("--shared", metavar="DIR", help="the shared folder holding models/ and faces/ (default: ../shared beside the checkout)")
    b.add_argument("--name", default=DEFAULT_NAME, help=f"pack name under <data dir>/models (default {DEFAULT_NAME})")
    b.add_argument("--rebuild", action="store_true", help="build it again even when it is there")
    b.add_argument("--labels", metavar="CSV", action="append", help=argparse.SUPPRESS)  # tests: train on a few photos
    b.set_defaults(func=cmd_build_default)
    register_teaching(sub)


def run_eval(ctx: CliContext, labels_csv: Path, root: Path | None, security: str | None, frame_cue: bool | None = None) -> PadEvaluation:
    """Score every photo once, as a sign-in frame is scored, and evaluate it at the pack's liveness threshold."""
    rows = read_labels(labels_csv)
    thresholds = ctx.pack.thresholds
    security = effective_security(security or ctx.settings.login.security, thresholds.band_measured)
    gates = ctx.settings.login if frame_cue is None else dataclasses.replace(ctx.settings.login, frame_cue=frame_cue)
    gates = level_gates(gates, security)
    analyzer = ctx.analyzer
    scores = score_images(rows, root or labels_csv.parent, lambda path: analyzer.liveness_image(path, gates), progress=ProgressLine(verb="scoring"))
    cue = FRAME_CUE_NOTE if gates.frame_cue else "enclosing-frame cue off" + (" (adaptive runs without it)" if security == ADAPTIVE else "")
    band = thresholds.band if security == ADAPTIVE else None
    notes = {STRICT: [STRICT_NOTE, cue], ADAPTIVE: [ADAPTIVE_NOTE, cue]}.get(security, [cue])
    return evaluate_pad(scores, ctx.pack.thresholds.liveness, security=security, pack_id=ctx.pack.id, note="; ".join(notes), band=band)


def cmd_eval(ctx: CliContext) -> int:
    args = ctx.args
    if args.plot:
        plotting_backend(Path(args.plot))  # fail before minutes of scoring, not after
    frame_cue = None if args.frame_cue is None else args.frame_cue == "on"
    evaluation = run_eval(ctx, Path(args.labels_csv), Path(args.root) if args.root else None, args.security, frame_cue)
    if args.json:
        emit_json(evaluation.to_dict())
    else:
        print(format_report(evaluation))
    if args.plot:
        print(f"plot written to {plot_pad(evaluation, Path(args.plot))}", file=sys.stderr)
    return 0


def _apcer_line(apcer: dict[str, float]) -> str:
    kinds = ", ".join(f"{name} {value:.2%}" for name, value in apcer.items() if name != "all")
    return f"{apcer['all']:.2%}" + (f" ({kinds})" if kinds else "")


def format_report(evaluation: PadEvaluation) -> str:
    d = evaluation.to_dict()
    c, rec = d["counts"], d["at_recommended"]
    attacks = ", ".join(f"{n} {name}" for name, n in c["attacks"].items())
    lines = [
        f"pack:       {d['pack']} (security {d['security']})",
        f"images:     {c['used']} used ({c['live']} live, {c['spoof']} spoof: {attacks}) of {c['listed']} listed; "
        f"{c['skipped']} skipped; scored in {evaluation.scores.elapsed_s:.1f} s",
    ]
    lines.extend(f"  skipped   {s['image']}: {s['why']}" for s in d["skipped"])
    lines += [
        f"at the pack threshold {d['threshold_used']:.2f}:",
        f"  APCER     {_apcer_line(d['apcer'])}  (attacks accepted as live)",
        f"  BPCER     {d['bpcer']:.2%}  (genuine faces refused)",
        f"  ACER      {d['acer']:.2%}  ((worst attack type's APCER + BPCER) / 2)",
        f"threshold:  recommended {d['threshold']:.2f} (the highest with BPCER <= {TARGET_BPCER:.0%}): "
        f"APCER {_apcer_line(rec['apcer'])}, BPCER {rec['bpcer']:.2%}, ACER {rec['acer']:.2%}",
    ]
    if "adaptive" in d:
        a = d["adaptive"]
        high = "never (no band in this pack)" if a["accept_from"] is None else f"{a['accept_from']:.2f}"
        lines.append(
            f"adaptive:   refused below {a['refuse_below']:.2f}, accepted without a turn from {high}: "
            f"APCER {_apcer_line(a['apcer'])}, BPCER {a['bpcer']:.2%}, genuine asked to turn {a['asked_to_turn']:.2%}"
        )
    if d["note"]:
        lines.append(f"note:       {d['note']}")
    return "\n".join(lines)


def cmd_train(ctx: CliContext) -> int:
    from kiosk.cli.liveness_train import run_train

    return run_train(ctx)


def cmd_build_default(ctx: CliContext) -> int:
    from kiosk.cli.build_default import run_build_default

    return run_build_default(ctx)
