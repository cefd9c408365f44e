"""The GUI thread's heartbeat for ``kiosk supervise`` (kiosk/flows/supervisor.py).

A ``QTimer`` on the GUI thread rewrites the file the supervisor named in
``KIOSK_HEARTBEAT_FILE`` once a second: the beats stop exactly when the event loop stops
turning (a deadlock, a call that never returns), which is the hang the supervisor kills
for. Unsupervised (no variable), nothing is written. A write that fails is skipped: the
next beat tries again, and a supervisor that sees none for long enough restarts the kiosk.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from kiosk.flows.supervisor import HEARTBEAT_ENV

log = logging.getLogger(__name__)

BEAT_MS = 1000


class GuiHeartbeat(QObject):
    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.beats = 0
        self.timer = QTimer(self)
        self.timer.setInterval(BEAT_MS)
        self.timer.timeout.connect(self.beat)

    def start(self) -> None:
        """The first beat comes from the running event loop, not from here: until then the supervisor's start grace applies."""
        self.timer.start()

    def beat(self) -> None:
        """The pid (which process beats) and a count (so every beat changes the file)."""
        self.beats += 1
        try:
            self.path.write_text(f"{os.getpid()} {self.beats}\n", encoding="ascii")
        except OSError as exc:
            if self.beats == 1:
                log.warning("heartbeat file %s cannot be written: %s", self.path, exc)


def start_heartbeat(parent: QObject, environ: dict[str, str] | None = None) -> GuiHeartbeat | None:
    """A running heartbeat when a supervisor asked for one, else None."""
    target = (os.environ if environ is None else environ).get(HEARTBEAT_ENV)
    if not target:
        return None
    heartbeat = GuiHeartbeat(Path(target), parent)
    heartbeat.start()
    return heartbeat
