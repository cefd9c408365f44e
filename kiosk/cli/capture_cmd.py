"""``kiosk capture``: run the capture session on a camera, a video or a folder, without the GUI."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kiosk.capture.debug import save_annotated
from kiosk.capture.session import CaptureSession
from kiosk.capture.sources import open_source
from kiosk.capture.types import CaptureResult, FrameReport
from kiosk.cli.context import CliContext, emit_json
from kiosk.errors import KioskError, SourceEndedError

NOT_OK_EXIT = 6  # the capture ran but produced no template (same code as NotEnoughFramesError)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "capture",
        help="capture one template from a camera, video or image folder and explain every frame's decision",
        description="Exit status 0 when a template was captured, 6 when the attempt failed (spoof, timeout, not enough frames, challenge failed).",
    )
    p.add_argument("--source", required=True, metavar="CAMERA_INDEX|VIDEO|DIR", help="camera index (0, 1, ...), a video file or a folder of images")
    p.add_argument("--profile", choices=("login", "enroll"), default="login")
    p.add_argument("--json", action="store_true", help="one JSON document with every analyzed frame and the result")
    p.add_argument("--save-debug", metavar="DIR", type=Path, help="write each analyzed frame, annotated, as a JPEG into DIR")
    p.add_argument("--skip", type=int, default=0, metavar="N", help="drop the first N frames of the source (jump into a video)")
    p.set_defaults(func=cmd_capture)


def cmd_capture(ctx: CliContext) -> int:
    args = ctx.args
    if args.skip < 0:
        raise KioskError("--skip must be >= 0")
    if args.save_debug is not None:
        try:
            args.save_debug.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise KioskError(f"cannot create {args.save_debug}: {exc.strerror}") from None
    settings = ctx.settings
    source = open_source(args.source, settings.camera)
    analyzer = ctx.analyzer
    session = CaptureSession(analyzer, settings.profile(args.profile), name=args.profile, match=settings.match)
    frames: list[dict[str, Any]] = []
    with source:
        try:
            for _ in range(args.skip):
                source.read()
            while not session.done:
                frame = source.read()
                report = session.feed(frame)
                if not report.analyzed:
                    continue
                frames.append(report.to_dict())
                if args.save_debug is not None:
                    save_annotated(args.save_debug, frame.image, report)
                if not args.json:
                    print(describe(report), flush=True)
        except SourceEndedError as exc:
            session.end(message=str(exc))
    result = session.end()  # the result already reached (end() changes nothing once done)
    if args.json:
        emit_json({"source": source.describe(), "pack": analyzer.pack.id, "frames": frames, "result": result.to_dict()})
    else:
        print(summary(result))
    return 0 if result.ok else NOT_OK_EXIT


def describe(report: FrameReport) -> str:
    obs = report.chosen
    if obs is None:
        face = "no face"
    else:
        live = "" if obs.liveness is None else f" live {obs.liveness:.2f}"
        face = f"yaw {obs.yaw:+.0f} pitch {obs.pitch:+.0f} size {obs.size:.0f} sharp {obs.sharpness:.0f} exp {obs.exposure:.0f}{live}"
    verdict = "accepted" if report.accepted else "rejected (" + ", ".join(report.reasons) + ")"
    done, needed = report.progress
    hint = f" -> {report.guidance_text}" if report.guidance_text else ""
    return f"frame {report.index}: {verdict} [{face}] {done}/{needed}{hint}"


def summary(result: CaptureResult) -> str:
    lines = [f"result: {result.outcome}" + (f" ({result.message})" if result.message else "")]
    if result.template is not None:
        t = result.template
        lines.append(f"  template: {t.vector.shape[0]}-d from {t.frames_used} frames ({t.outliers} outliers), quality {t.quality:.2f}")
    lines.append(f"  frames: {result.frames_seen} seen, {result.frames_analyzed} analyzed, {result.frames_used} used in {result.elapsed_s:.2f} s")
    if result.rejected:
        lines.append("  rejected: " + ", ".join(f"{k} {v}" for k, v in sorted(result.rejected.items(), key=lambda kv: -kv[1])))
    live = result.liveness
    if live.passive_score is not None:
        lines.append(f"  liveness: {live.passive_score:.3f} ({'passed' if live.passed else 'FAILED'})")
    if live.challenge_passed is not None:
        lines.append(f"  head-turn challenge: {'passed' if live.challenge_passed else 'FAILED'}")
    return "\n".join(lines)
