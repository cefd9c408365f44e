"""Jobs on the capture driver's thread, answered on the model's thread.

Inference must stay on the worker's thread (one ONNX ``Run`` at a time per session),
so photo enrollment and the settings screen's live score go through here instead of
a thread of their own. The driver's ``JobReturned``/``JobFailed`` outputs reach
``KioskModel.handle``, which calls ``returned``/``failed``; a job whose screen was left
is simply dropped (``cancel``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from kiosk.app.capture import CaptureDriver

OnDone = Callable[[Any], None]
OnError = Callable[[BaseException], None]


class Jobs:
    def __init__(self, driver: Callable[[], CaptureDriver | None]) -> None:
        self._driver = driver
        self._ids = itertools.count(1)
        self._pending: dict[str, tuple[OnDone, OnError]] = {}

    def submit(self, fn: Callable[[Any], Any], on_done: OnDone, on_error: OnError) -> str | None:
        """Run ``fn(analyzer)`` on the driver; None (and ``on_error`` at once) without a driver."""
        driver = self._driver()
        if driver is None:
            on_error(RuntimeError("the camera worker is not running"))
            return None
        job_id = f"job-{next(self._ids)}"
        self._pending[job_id] = (on_done, on_error)
        driver.run_job(job_id, fn)
        return job_id

    def cancel(self, job_id: str | None) -> None:
        self._pending.pop(job_id or "", None)

    def orphan(self) -> None:
        """The driver was replaced: jobs left with it fail, so no screen waits forever."""
        orphaned, self._pending = self._pending, {}
        for _, on_error in orphaned.values():
            on_error(RuntimeError("the camera worker was restarted"))

    def returned(self, job_id: str, value: Any) -> None:
        callbacks = self._pending.pop(job_id, None)
        if callbacks is not None:
            callbacks[0](value)

    def failed(self, job_id: str, error: BaseException) -> None:
        callbacks = self._pending.pop(job_id, None)
        if callbacks is not None:
            callbacks[1](error)
