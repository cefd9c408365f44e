"""Two heartbeats: the GUI thread's file for ``kiosk supervise``, and the status event.

The file (kiosk/flows/supervisor.py): a ``QTimer`` on the GUI thread rewrites the file the supervisor named in
``KIOSK_HEARTBEAT_FILE`` once a second: the beats stop exactly when the event loop stops
turning (a deadlock, a call that never returns), which is the hang the supervisor kills
for. Unsupervised (no variable), nothing is written. A write that fails is skipped: the
next beat tries again, and a supervisor that sees none for long enough restarts the kiosk.

The event: ``StatusHeartbeat`` queues a ``kiosk.heartbeat`` through the outbox every
``events.heartbeat_min`` minutes, for whatever receives the kiosk's events.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer

from kiosk.errors import KioskError
from kiosk.flows import heartbeat
from kiosk.flows.heartbeat import KioskStatus, recognizer_provider
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


class StatusHeartbeat(QObject):
    """Every ``events.heartbeat_min`` minutes, a ``kiosk.heartbeat`` event (kiosk/flows/heartbeat.py)
    with what the window knows: its uptime, the camera's last state, the events backlog, the recognizer's provider."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.started = time.monotonic()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.send)

    @property
    def camera(self) -> str:
        """The worker's last ``CameraState``, kept by the model ("unknown" before the first)."""
        state = self.window.model.camera_state
        return "unknown" if state is None else str(state)

    def start(self) -> None:
        """(Re)start at the configured pace; 0 minutes sends none."""
        minutes = self.window.ctx.settings.events.heartbeat_min
        self.timer.stop()
        if minutes > 0:
            self.timer.setInterval(int(minutes * 60_000))
            self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def status(self) -> KioskStatus:
        ctx = self.window.ctx
        backlog = None
        if ctx.events is not None and ctx.events.outbox.sinks:
            try:
                backlog = max(s.backlog for s in ctx.events.outbox.status().sinks)
            except KioskError as exc:
                log.error("heartbeat: the events backlog cannot be read: %s", exc)
        provider = recognizer_provider(ctx.analyzer.providers if ctx.analyzer is not None else None)
        return KioskStatus(int(time.monotonic() - self.started), self.camera, backlog, provider)

    def send(self) -> None:
        if self.window.ctx.registry is not None:
            heartbeat.send(self.window.ctx.registry, self.status())
