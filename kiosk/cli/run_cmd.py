"""``kiosk run``: the touchscreen application."""

from __future__ import annotations

import argparse
import os

from kiosk.cli.context import CliContext


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("run", help="start the kiosk application (full screen)")
    parser.add_argument("--camera", metavar="SOURCE", help="camera index, video file or image folder (else camera.source)")
    parser.add_argument("--windowed", action="store_true", help="a normal window instead of full-screen kiosk mode")
    parser.add_argument("--quit-after", type=float, metavar="SECONDS", help="close by itself after this many seconds (smoke tests)")
    parser.add_argument(
        "-platform", dest="qt_platform", metavar="NAME",
        help="Qt platform plugin, Qt's own flag (offscreen: no display); for hosts that drop QT_* variables (Wine)",
    )  # fmt: skip
    parser.add_argument("--quit-on-attract", action="store_true", help="close as soon as the attract screen shows (cold-start timing)")
    parser.set_defaults(func=handle)


def handle(ctx: CliContext) -> int:
    from kiosk.ui.app import run

    args = ctx.args
    if args.qt_platform:
        os.environ["QT_QPA_PLATFORM"] = args.qt_platform
    return run(ctx.settings, camera=args.camera, windowed=args.windowed, quit_after=args.quit_after, quit_on_attract=args.quit_on_attract)
