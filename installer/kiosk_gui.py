"""Entry of ``kiosk-gui``, the windowed twin of ``kiosk`` in the same bundle folder.

``kiosk-gui ARGS`` is ``kiosk run ARGS``, unless ARGS name ``run`` or ``supervise`` themselves:
the installer's autostart is ``kiosk-gui supervise --`` (a supervisor with no console), and
the supervisor starts its child as ``kiosk-gui [global options] run ...``. It exists because a console executable opens a
console window behind the kiosk screen, while a windowed one has no console at all: on
Windows its ``sys.stdout``/``sys.stderr`` are None, so an ``error:`` line or a log record
would vanish (or, from logging, raise). They go to ``<data folder>/logs/kiosk-gui.log``.
"""

from __future__ import annotations

import os
import sys

from kiosk import paths
from kiosk.cli.main import command_name, main

LOG_NAME = "kiosk-gui.log"


def attach_log() -> None:
    """Give a console-less process somewhere to write; a process with a console keeps it."""
    if sys.stdout is not None and sys.stderr is not None:
        return
    try:
        folder = paths.data_dir() / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        stream = open(folder / LOG_NAME, "a", encoding="utf-8", errors="replace", buffering=1)
    except OSError:
        stream = open(os.devnull, "w", encoding="utf-8")
    sys.stdout = sys.stdout or stream
    sys.stderr = sys.stderr or stream


def gui_argv(argv: list[str]) -> list[str]:
    """The ``kiosk`` command line for ``kiosk-gui ARGS``."""
    return argv if command_name(argv) in PASSED_THROUGH else ["run", *argv]


PASSED_THROUGH = ("run", "supervise")

if __name__ == "__main__":
    attach_log()
    sys.exit(main(gui_argv(sys.argv[1:])))
