"""What every screen can reach: settings, services, the camera worker and navigation."""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Slot

from kiosk.config import Settings
from kiosk.errors import KioskError
from kiosk.flows.live_settings import LiveSettings
from kiosk.ui.i18n import LanguageSwitcher

if TYPE_CHECKING:
    from kiosk.engine.analyzer import FaceAnalyzer
    from kiosk.events.sender import Sender
    from kiosk.gallery import ActorGallery
    from kiosk.registry import Registry
    from kiosk.ui.camera_worker import CameraWorker
    from kiosk.ui.navigation import Navigator, ScreenName

log = logging.getLogger(__name__)


class JobRunner(QObject):
    """Runs ``fn(analyzer)`` on the camera worker's thread and calls back on the GUI thread.

    Inference must stay on the worker thread (one ONNX ``Run`` at a time per
    session), so photo enrollment and the settings screen's live score go through
    here instead of a thread of their own. A job whose screen was left is simply dropped.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._pending: dict[str, tuple[Callable[[Any], None], Callable[[BaseException], None]]] = {}
        self._worker: CameraWorker | None = None

    def attach(self, worker: CameraWorker) -> None:
        """Use this worker from now on; jobs left with a worker whose thread ended fail, so no screen waits forever."""
        orphaned, self._pending = self._pending, {}
        for _, on_error in orphaned.values():
            on_error(RuntimeError("the camera worker was restarted"))
        self._worker = worker
        worker.signals.job_returned.connect(self._returned)
        worker.signals.job_failed.connect(self._failed)

    def submit(self, fn: Callable[[FaceAnalyzer], Any], on_done: Callable[[Any], None], on_error: Callable[[BaseException], None]) -> str | None:
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


class CaptureOwner:
    """Which screen the worker's one running capture belongs to (none, or exactly one).

    A screen starts a capture under its name and only that screen's ``release``
    cancels it, so leaving a screen never cancels a capture another screen took
    over (the attract screen hands its capture to the login screen).
    """

    def __init__(self, worker: Callable[[], CameraWorker | None]) -> None:
        self._worker = worker
        self.owner: ScreenName | None = None

    def start(self, owner: ScreenName, profile: str, *, unattended: bool = False) -> bool:
        """False when there is no camera worker to capture with. ``unattended``: see
        ``CaptureWorker.start_capture`` (the visitor screens' sign-in, which rests the camera)."""
        worker = self._worker()
        if worker is None:
            return False
        self.owner = owner
        worker.start_capture(profile, unattended=unattended)
        return True

    def owns(self, owner: ScreenName) -> bool:
        return self.owner == owner

    def hand_over(self, to: ScreenName) -> None:
        self.owner = to

    def finish(self, owner: ScreenName) -> bool:
        """A result arrived: True (and no longer running) when it was ``owner``'s capture."""
        if self.owner != owner:
            return False
        self.owner = None
        return True

    def release(self, owner: ScreenName) -> None:
        """Cancel ``owner``'s capture, if it still has one."""
        if self.owner == owner:
            self.owner = None
            worker = self._worker()
            if worker is not None:
                worker.cancel_capture()


@dataclass
class AppContext:
    """Shared state of one running kiosk. Services are ``None`` until loaded."""

    settings: Settings
    languages: LanguageSwitcher
    jobs: JobRunner
    nav: Navigator | None = None
    analyzer: FaceAnalyzer | None = None
    registry: Registry | None = None
    gallery: ActorGallery | None = None  # when one is built with the active pack
    worker: CameraWorker | None = None
    events: Sender | None = None  # the event sender while the kiosk runs (None: not started)
    clock: Callable[[], float] = time.monotonic
    wall_clock: Callable[[], float] = time.time  # lockouts of claimed ids outlive a restart (kiosk/store/attempts.py)
    admin_signed_in: bool = False
    # What screens ask of the window (set by it): switch language, retry start-up, and
    # leave kiosk mode (the only way out of a full-screen kiosk).
    set_language: Callable[[str], None] = lambda lang: None
    restart: Callable[[], None] = lambda: None
    exit_kiosk: Callable[[], None] = lambda: None
    # Asks for the admin PIN (or, signed in, a confirmation) and then exits: what screens call.
    request_exit: Callable[[], None] = lambda: None
    # The camera source in use (``kiosk run --camera`` may differ from the saved setting).
    camera_in_use: Callable[[], str] = lambda: ""
    live: LiveSettings = field(init=False)  # saved settings are applied here; consumers subscribe
    capture: CaptureOwner = field(init=False)

    def __post_init__(self) -> None:
        self.live = LiveSettings(self.settings)
        self.capture = CaptureOwner(lambda: self.worker)

    def go(self, name: ScreenName, **kwargs: Any) -> None:
        assert self.nav is not None  # the window sets it when it builds the screens
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
