"""Entry point: global flags, subcommand registry, and the error boundary.

Each module named in ``COMMAND_HOMES`` exposes ``register(subparsers)`` and sets
``func(ctx) -> int`` on its parsers. A command imports only its own
module: the modules import what their commands need at the top (psycopg, OpenCV,
the registry), which cost ``kiosk run`` 0.9 s of a 1.9 s cold start (issue 15). A ``KioskError`` becomes one ``error:`` line on
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

# The module that registers each command: the one place a command is named (help lists them in this order).
COMMAND_HOMES = {
    "models": "kiosk.cli.models_cmd",
    "embed": "kiosk.cli.face_cmd",
    "compare": "kiosk.cli.face_cmd",
    "eval": "kiosk.cli.eval_cmd",
    "liveness": "kiosk.cli.liveness_cmd",
    "doctor": "kiosk.cli.doctor_cmd",
    "users": "kiosk.cli.users_cmd",
    "identify": "kiosk.cli.users_cmd",
    "verify": "kiosk.cli.users_cmd",
    "db": "kiosk.cli.db_cmd",
    "admin": "kiosk.cli.db_cmd",
    "audit": "kiosk.cli.db_cmd",
    "capture": "kiosk.cli.capture_cmd",
    "gallery": "kiosk.cli.gallery_cmd",
    "run": "kiosk.cli.run_cmd",
    "events": "kiosk.cli.events_cmd",
    "fleet": "kiosk.cli.fleet_cmd",
    "report": "kiosk.cli.report_cmd",
    "supervise": "kiosk.cli.supervise_cmd",
    "attendance": "kiosk.cli.attendance_cmd",
}
COMMAND_MODULES = tuple(dict.fromkeys(COMMAND_HOMES.values()))
GLOBAL_OPTIONS_WITH_VALUE = frozenset({"--models", "--data-dir", "--providers"})


def command_name(argv: list[str]) -> str | None:
    """The first word that is neither an option nor a global option's value."""
    words = iter(argv)
    for word in words:
        if word in GLOBAL_OPTIONS_WITH_VALUE:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def modules_for(argv: list[str] | None) -> list[str]:
    """Every command module for help and unknown commands; else the command's own."""
    name = command_name(argv) if argv is not None else None
    home = COMMAND_HOMES.get(name) if name is not None else None
    return list(COMMAND_MODULES) if home is None else [home]


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser for ``argv``'s command (all commands when ``argv`` is None)."""
    parser = argparse.ArgumentParser(prog="kiosk", description="Offline face-recognition kiosk")
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    parser.add_argument("--models", metavar="PACK", help="model pack folder, or the name of one in <data dir>/models (else KIOSK_MODELS, the data folder, the bundle)")
    parser.add_argument("--data-dir", metavar="DIR", help="data folder (else KIOSK_DATA_DIR, else the platform default)")
    parser.add_argument(
        "--providers",
        metavar="LIST",
        help="ONNX Runtime providers in preference order, comma-separated (e.g. CPUExecutionProvider)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in modules_for(argv):
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
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv)
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
