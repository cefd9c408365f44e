"""The sync loop on a plain background thread, for the kiosk app (Qt-free: the window
starts and stops it). Sign-in never waits for it: it takes the Registry's lock only for
short local steps (see ``sync.py``)."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from kiosk.fleet.sync import FleetSync
from kiosk.registry import Registry
from kiosk.store import journal

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
        runner = cls(FleetSync(registry, data_dir))
        runner._thread.start()
        return runner

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(STOP_WAIT_S)
        if self._thread.is_alive():
            log.warning("fleet sync did not stop within %.0f s", STOP_WAIT_S)
