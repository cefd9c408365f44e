"""The event service of a running kiosk: what the window starts after the database opens.

Qt-free so the GUI only holds the returned ``Sender``. Start-up also records the
decisions no registry call makes (a model that fell back to the CPU), and reports each
sink problem once in the log; the admin home shows it as the last delivery error.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

import onnxruntime as ort

from kiosk.config import Settings
from kiosk.errors import KioskError
from kiosk.events.observe import cpu_fallback
from kiosk.events.sender import Outbox, Sender

if TYPE_CHECKING:
    from kiosk.engine.analyzer import FaceAnalyzer

log = logging.getLogger(__name__)


class EventRecorder(Protocol):
    """What start-up needs of the registry (a higher layer: described here, not imported)."""

    @property
    def pack_id(self) -> str: ...

    def record_event(self, kind: str, *, decision: str | None = None, detail: str | None = None) -> None: ...


def record_start_up(settings: Settings, registry: EventRecorder, analyzer: FaceAnalyzer) -> None:
    """Once per start: a model that runs on the CPU although the preferred accelerator is offered."""
    detail = cpu_fallback(analyzer.providers, settings.runtime.providers, ort.get_available_providers())
    if detail:
        registry.record_event("model_cpu_fallback", detail=detail)


def start(settings: Settings, registry: EventRecorder) -> Sender | None:
    """Start delivering on threads of its own; None when the outbox cannot open (logged)."""
    try:
        box = Outbox.open(settings, pack_id=registry.pack_id)
    except KioskError as exc:
        log.error("events: the outbox cannot open, events are kept but not sent: %s", exc)
        return None
    for problem in box.problems:
        log.error("events: %s", problem)
    sender = Sender(box)
    sender.start()
    return sender


def stop(sender: Sender | None) -> None:
    """Stop the threads; the connection is closed only once none of them can still use it."""
    if sender is None:
        return
    if sender.stop():
        sender.outbox.close()
    else:
        log.warning("events: a delivery was still in flight at shutdown; it is retried at the next start")
