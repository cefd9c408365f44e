"""The kiosk without a window: the application model, the plain capture worker, and one loop.

The worker reports on its own threads; the model's methods run on one thread. So the
worker's outputs (and fleet sync's news) are queued as calls, and ``run_until`` runs
them on the caller's thread, the way Qt's event loop runs them on the GUI thread under
the window. Preview frames have no screen here: each is marked shown at once, so the
worker keeps its pace.
"""

from __future__ import annotations

import queue
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from kiosk.app.capture import CaptureDriver
from kiosk.app.model import KioskModel, Output
from kiosk.capture.commands import PreviewFrame, WorkerOutput
from kiosk.capture.worker import CaptureWorker
from kiosk.config import Settings


class HeadlessKiosk:
    def __init__(self, settings: Settings, camera_source: str) -> None:
        self._calls: queue.Queue[Callable[[], None]] = queue.Queue()
        self.model = KioskModel(settings, camera_source=camera_source, start_driver=self._start_worker, marshal=self._calls.put)

    def _start_worker(self, analyzer: Any, output: Output) -> CaptureDriver:
        def deliver(item: WorkerOutput) -> None:  # on the worker's (or its grabber's) thread
            if isinstance(item, PreviewFrame):
                worker.preview_shown()
                return
            self._calls.put(partial(output, item))

        worker = CaptureWorker(self.model.camera_source, analyzer, self.model.settings, output=deliver)
        worker.start()
        return worker

    def run_until(self, done: Callable[[], bool], timeout_s: float) -> bool:
        """Run the queued calls on this thread until ``done()``; False when ``timeout_s`` passed first."""
        deadline = time.monotonic() + timeout_s
        while not done():
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            try:
                call = self._calls.get(timeout=min(left, 0.1))
            except queue.Empty:
                continue
            call()
        return True

    def shutdown(self) -> None:
        self.model.shutdown()
