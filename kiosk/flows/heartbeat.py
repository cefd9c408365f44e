"""The ``kiosk.heartbeat`` event: "this kiosk is still here, and this is how it is".

Sent through the outbox every ``events.heartbeat_min`` minutes by the running kiosk (the
window's timer, ``kiosk/ui/heartbeat.py``), so whatever receives the sign-ins also learns
that a kiosk went quiet, and why it might have: the camera down, events piling up, the
models on the CPU. It is queued without an audit row: 288 rows a day would bury the
decisions the audit log is for, and a heartbeat decides nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.registry import Registry


@dataclass(frozen=True)
class KioskStatus:
    uptime_s: int  # since this kiosk process started
    camera: str  # the camera worker's last CameraState (opening, live, lost, ended), or "unknown"
    backlog: int | None  # events not yet delivered to the slowest sink; None: no sink, or the outbox is closed
    provider: str | None  # the execution provider the recognizer runs on; None while the models load


def recognizer_provider(providers: dict[str, str] | None) -> str | None:
    """The one provider that says most about speed: the recognizer's (``FaceAnalyzer.providers``)."""
    return None if not providers else providers.get("recognizer")


def send(registry: Registry, status: KioskStatus) -> None:
    """Queue one heartbeat; a write that fails is logged by the registry, never raised."""
    registry.record_heartbeat(asdict(status))
