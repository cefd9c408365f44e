"""Who owns the camera worker's one running capture, and what a capture driver is.

The worker only executes captures; which screen a capture belongs to is recorded here
once (``CaptureOwner``), and the model routes the worker's per-capture outputs to that
owner's listener alone, so no screen has to check "is this result mine?".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from kiosk.app.screens import ScreenName
    from kiosk.capture.types import CaptureResult, FrameReport


class CaptureDriver(Protocol):
    """What runs captures and jobs on the camera: the plain ``CaptureWorker`` (kiosk/capture/worker.py)
    or the Qt ``CameraWorker`` built on it."""

    def start_capture(self, profile_name: str, *, unattended: bool = False) -> None: ...

    def cancel_capture(self) -> None: ...

    def set_source(self, spec: str) -> None: ...

    def run_job(self, job_id: str, fn: Callable[[Any], Any]) -> None: ...

    def set_analyzer(self, analyzer: Any) -> None: ...

    def stop_and_join(self, timeout_s: float) -> bool: ...


class CaptureListener(Protocol):
    """What a capture's owner hears of it (every ``Screen`` has these, as no-ops)."""

    def on_report(self, report: FrameReport) -> None: ...

    def on_progress(self, done: int, total: int) -> None: ...

    def on_result(self, result: CaptureResult) -> None: ...


class CaptureOwner:
    """Which screen the worker's one running capture belongs to (none, or exactly one).

    A screen starts a capture under its name and only that screen's ``release``
    cancels it, so leaving a screen never cancels a capture another screen took
    over (the attract screen hands its capture to the login screen).
    """

    def __init__(self, driver: Callable[[], CaptureDriver | None]) -> None:
        self._driver = driver
        self.owner: ScreenName | None = None
        self._listeners: dict[ScreenName, CaptureListener] = {}

    def listen(self, owner: ScreenName, listener: CaptureListener) -> Callable[[], None]:
        """``listener`` hears the captures ``owner`` starts (one listener per owner); returns the disconnect."""
        self._listeners[owner] = listener

        def disconnect() -> None:
            if self._listeners.get(owner) is listener:
                del self._listeners[owner]

        return disconnect

    def listener(self, owner: ScreenName) -> CaptureListener | None:
        return self._listeners.get(owner)

    def start(self, owner: ScreenName, profile: str, *, unattended: bool = False) -> bool:
        """False when there is no camera worker to capture with. ``unattended``: see
        ``CaptureWorker.start_capture`` (the visitor screens' sign-in, which rests the camera)."""
        driver = self._driver()
        if driver is None:
            return False
        self.owner = owner
        driver.start_capture(profile, unattended=unattended)
        return True

    def owns(self, owner: ScreenName) -> bool:
        return self.owner == owner

    def hand_over(self, to: ScreenName) -> None:
        self.owner = to

    def end(self) -> ScreenName | None:
        """The running capture ended: whose it was (None: nobody's, e.g. one cancelled meanwhile)."""
        owner, self.owner = self.owner, None
        return owner

    def release(self, owner: ScreenName) -> None:
        """Cancel ``owner``'s capture, if it still has one."""
        if self.owner == owner:
            self.owner = None
            driver = self._driver()
            if driver is not None:
                driver.cancel_capture()
