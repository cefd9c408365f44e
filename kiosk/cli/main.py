"""Entry point: global flags, subcommand registry, and the error boundary.

Each module in ``COMMAND_MODULES`` exposes ``register(subparsers)`` and sets
``func(ctx) -> int`` on its parsers. A ``KioskError`` becomes one ``error:`` line on
stderr and its exit code; nothing reaches the user as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from kiosk import __version__
from kiosk.cli.context import CliContext
from kiosk.errors import KioskError

COMMAND_MODULES = (
    "kiosk.cli.models_cmd",
    "kiosk.cli.face_cmd",
    "kiosk.cli.eval_cmd",
    "kiosk.cli.liveness_cmd",
    "kiosk.cli.doctor_cmd",
    "kiosk.cli.users_cmd",
    "kiosk.cli.db_cmd",
    "kiosk.cli.capture_cmd",
    "kiosk.cli.gallery_cmd",
    "kiosk.cli.run_cmd",
    "kiosk.cli.events_cmd",
    "kiosk.cli.fleet_cmd",
    "kiosk.cli.report_cmd",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="Offline face-recognition kiosk")
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    parser.add_argument("--models", metavar="PACK", help="model pack folder (else KIOSK_MODELS, the data folder, the bundle)")
    parser.add_argument("--data-dir", metavar="DIR", help="data folder (else KIOSK_DATA_DIR, else the platform default)")
    parser.add_argument(
        "--providers",
        metavar="LIST",
        help="ONNX Runtime providers in preference order, comma-separated (e.g. CPUExecutionProvider)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    ctx = CliContext(args=args)
    try:
        return int(args.func(ctx) or 0)
    except KioskError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
