"""What every screen can reach: settings, services, the camera worker and navigation."""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Slot

from kiosk.config import Settings
from kiosk.errors import KioskError
from kiosk.ui.i18n import LanguageSwitcher

log = logging.getLogger(__name__)

ADMIN_NAME = "admin"


class JobRunner(QObject):
    """Runs ``fn(analyzer)`` on the camera worker's thread and calls back on the GUI thread.

    Inference must stay on the worker thread (one ONNX ``Run`` at a time per
    session), so photo enrollment and look-alike lookups go through here instead
    of a thread of their own. A job whose screen was left is simply dropped.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._pending: dict[str, tuple[Callable[[Any], None], Callable[[BaseException], None]]] = {}
        self._worker: Any = None

    def attach(self, worker: Any) -> None:
        self._worker = worker
        worker.job_returned.connect(self._returned)
        worker.job_failed.connect(self._failed)

    def submit(self, fn: Callable[[Any], Any], on_done: Callable[[Any], None], on_error: Callable[[BaseException], None]) -> str | None:
        if self._worker is None:
            on_error(RuntimeError("the camera worker is not running"))
            return None
        job_id = f"job-{next(self._ids)}"
        self._pending[job_id] = (on_done, on_error)
        self._worker.run_job(job_id, fn)
        return job_id

    def cancel(self, job_id: str | None) -> None:
        self._pending.pop(job_id or "", None)

    @Slot(str, object)
    def _returned(self, job_id: str, value: Any) -> None:
        callbacks = self._pending.pop(job_id, None)
        if callbacks is not None:
            callbacks[0](value)

    @Slot(str, object)
    def _failed(self, job_id: str, exc: BaseException) -> None:
        callbacks = self._pending.pop(job_id, None)
        if callbacks is not None:
            callbacks[1](exc)


@dataclass
class AppContext:
    """Shared state of one running kiosk. Services are ``None`` until loaded."""

    settings: Settings
    languages: LanguageSwitcher
    jobs: JobRunner
    nav: Any = None  # Navigator
    analyzer: Any = None
    registry: Any = None
    gallery: Any = None  # ActorGallery when one is built, else None
    worker: Any = None  # CameraWorker
    clock: Callable[[], float] = time.monotonic
    admin_signed_in: bool = False
    # What screens ask of the window (set by it): switch language, apply saved settings,
    # retry start-up, and leave kiosk mode (the only way out of a full-screen kiosk).
    set_language: Callable[[str], None] = lambda lang: None
    apply_settings: Callable[[Settings], None] = lambda settings: None
    restart: Callable[[], None] = lambda: None
    exit_kiosk: Callable[[], None] = lambda: None

    def go(self, name: str, **kwargs: Any) -> None:
        self.nav.go(name, **kwargs)

    def sign_out(self) -> None:
        self.admin_signed_in = False

    def audit(self, event: str, detail: str | None = None) -> None:
        """Record an admin action; a failing audit write is logged, never shown as a crash."""
        if self.registry is None:
            return
        try:
            self.registry.audit(event, detail=detail)
        except KioskError as exc:
            log.error("audit %s failed: %s", event, exc)
