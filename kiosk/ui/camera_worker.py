"""The capture worker seen from Qt: its typed outputs delivered on the GUI thread.

The worker itself is plain Python (``kiosk/capture/worker.py``): one thread that owns the
camera source and the analyzer. ``CameraWorker`` is that worker with one ``output``
callable that emits each ``WorkerOutput`` as one ``output`` signal on ``WorkerSignals``,
an object that stays on the GUI thread (superqt's ``WorkerBaseSignals``), so every
listener runs there, queued, whoever emits. One signal carrying the typed value, not a
signal per kind: the model's ``handle`` already matches on the type, and a second map
from kinds to signals and back would have to mirror the first. The one conversion is the
preview frame, which becomes a ``QImage`` on the worker's thread, off the GUI thread.
Only real outputs are signalled; the requests (``start_capture``, ``run_job``...) are the
worker's own methods.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from kiosk.capture.commands import PreviewFrame, WorkerOutput
from kiosk.capture.sources import FrameSource
from kiosk.capture.worker import CaptureWorker
from kiosk.config import Settings
from kiosk.ui.qimage import bgr_to_qimage


class WorkerSignals(QObject):
    """The worker's outputs, on an object that stays on the GUI thread.

    PySide6 runs a receiver that is not a ``QObject`` slot (a lambda, a test's
    recorder) in the thread of the signal's object. ``output`` belongs to this
    GUI-side object, so every listener runs on the GUI thread, queued, whoever emits.
    """

    output = Signal(object)  # one WorkerOutput; a PreviewFrame carries a QImage

    def __init__(self, preview_shown: Callable[[], None]) -> None:
        super().__init__()
        self._preview_shown = preview_shown
        self.output.connect(self._arrived)

    @Slot(object)
    def _arrived(self, output: WorkerOutput) -> None:
        """A preview frame reached the GUI thread: the grabber may send the next one (latest wins)."""
        if isinstance(output, PreviewFrame):
            self._preview_shown()


class CameraWorker(CaptureWorker):
    """The plain worker, reporting through ``signals.output``."""

    def __init__(
        self,
        source_spec: str,
        analyzer: Any,
        settings: Settings,
        *,
        opener: Callable[[str], FrameSource] | None = None,
        loop: bool = True,
    ) -> None:
        super().__init__(source_spec, analyzer, settings, output=self._emit, opener=opener, loop=loop)
        self.signals = WorkerSignals(self.preview_shown)  # created here, on the GUI thread

    def _emit(self, output: WorkerOutput) -> None:
        """Called on the worker's or the grabber's thread."""
        if isinstance(output, PreviewFrame):
            output = PreviewFrame(bgr_to_qimage(output.image))
        self.signals.output.emit(output)


def start_camera_worker(
    source_spec: str,
    analyzer: Any,
    settings: Settings,
    *,
    opener: Callable[[str], FrameSource] | None = None,
    loop: bool = True,
) -> CameraWorker:
    """Create the worker; its thread starts on the caller's next event-loop turn.

    Starting from the event loop rather than here means every signal the caller
    connects right after this call returns also sees the first ``opening`` / ``live``.
    """
    worker = CameraWorker(source_spec, analyzer, settings, opener=opener, loop=loop)
    QTimer.singleShot(0, worker.start)
    return worker
