"""The running kiosk's services in one place, with the order they start and stop in.

Start: the database (``Registry``), then what reads it: the actor gallery, the event
sender, fleet sync; the analyzer arrives whenever the models are warm (off-thread).
Stop: the sender and fleet sync first (their threads use the database), the database last.
The ``require_*`` accessors are for code that runs only once the services are open
(admin screens, the sign-in decision): they return the service typed, never ``None``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.errors import KioskError

if TYPE_CHECKING:
    from kiosk.engine.analyzer import FaceAnalyzer
    from kiosk.events.sender import Sender
    from kiosk.fleet.background import FleetBackground
    from kiosk.gallery import ActorGallery
    from kiosk.registry import Registry

log = logging.getLogger(__name__)


class ServicesNotOpenError(KioskError):
    """A service was asked for before the kiosk opened it (or after it shut down)."""


@dataclass
class Services:
    registry: Registry | None = None
    analyzer: FaceAnalyzer | None = None  # warm face models; later than the rest (issue 15)
    gallery: ActorGallery | None = None  # only when one is built with the active pack
    events: Sender | None = None  # the event sender (None: not started, or its outbox failed)
    fleet: FleetBackground | None = None  # fleet sync, while this kiosk is in a fleet

    def require_registry(self) -> Registry:
        if self.registry is None:
            raise ServicesNotOpenError("the database is not open", hint="wait for the kiosk to finish starting")
        return self.registry

    def require_analyzer(self) -> FaceAnalyzer:
        if self.analyzer is None:
            raise ServicesNotOpenError("the face models are not loaded yet", hint="wait for the kiosk to finish starting")
        return self.analyzer

    def stop(self) -> None:
        """Everything but the analyzer, in stop order; the database last. Safe to call twice."""
        from kiosk.events import service

        service.stop(self.events)
        self.events = None
        if self.fleet is not None:
            self.fleet.stop()
            self.fleet = None
        if self.registry is not None:
            self.registry.note_camera()  # the camera span ends now, not at the last heartbeat
            self.registry.close()
            self.registry = None
