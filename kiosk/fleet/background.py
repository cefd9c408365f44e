"""The sync loop on a plain background thread, for the kiosk app (Qt-free: the window
starts and stops it). Sign-in never waits for it: it takes the Registry's lock only for
short local steps (see ``sync.py``)."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.registry import Registry
from kiosk.store import journal

if TYPE_CHECKING:
    from kiosk.fleet.sync import FleetSync

log = logging.getLogger(__name__)
STOP_WAIT_S = 15.0  # a round in flight finishes its current page or server call first


class FleetBackground:
    def __init__(self, fleet: FleetSync) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=fleet.run, args=(self._stop,), name="fleet-sync", daemon=True)

    @classmethod
    def start_if_joined(cls, registry: Registry, data_dir: Path) -> FleetBackground | None:
        with registry.session() as db:
            if not journal.joined(db):
                return None
        from kiosk.fleet.sync import FleetSync  # psycopg: 0.36 s of a cold start a kiosk outside a fleet never needs

        runner = cls(FleetSync(registry, data_dir))
        runner._thread.start()
        return runner

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(STOP_WAIT_S)
        if self._thread.is_alive():
            log.warning("fleet sync did not stop within %.0f s", STOP_WAIT_S)
