"""The capture worker seen from Qt: its typed outputs as signals delivered on the GUI thread.

The worker itself is plain Python (``kiosk/capture/worker.py``): one thread that owns the
camera source and the analyzer. ``CameraWorker`` is that worker with one ``output``: a
``match`` that emits each ``WorkerOutput`` as the signal of the same meaning on
``WorkerSignals``, an object that stays on the GUI thread (superqt's ``WorkerBaseSignals``),
so every listener runs there, queued, whoever emits. Only real outputs become signals;
the requests (``start_capture``, ``run_job``...) are the worker's own methods.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QImage

from kiosk.capture.commands import (
    CaptureEnded,
    CaptureProgress,
    FrameAnalyzed,
    JobFailed,
    JobReturned,
    PreviewFrame,
    SourceStateChanged,
    WorkerError,
    WorkerFaulted,
    WorkerFinished,
    WorkerOutput,
    WorkerStarted,
)
from kiosk.capture.sources import FrameSource
from kiosk.capture.worker import CaptureWorker
from kiosk.config import Settings
from kiosk.ui.qimage import bgr_to_qimage

log = logging.getLogger(__name__)


class WorkerSignals(QObject):
    """The worker's outputs, on an object that stays on the GUI thread.

    PySide6 runs a receiver that is not a ``QObject`` slot (a lambda, a test's
    recorder) in the thread of the signal's object. These signals belong to this
    GUI-side object, so every listener runs on the GUI thread, queued, whoever emits.
    Split as superqt's workers are: ``started``, per job ``job_returned`` or
    ``job_failed``, ``fault`` for what was caught and survived, ``finished``.
    """

    started = Signal()  # the loop began on the worker thread
    frame_ready = Signal(QImage)  # newest preview frame, latest wins
    frame_report = Signal(object)  # FrameReport of each analyzed frame
    progress = Signal(int, int)  # steps done, steps needed
    result = Signal(object)  # CaptureResult
    job_returned = Signal(str, object)  # (job id, its return value)
    job_failed = Signal(str, object)  # (job id, the exception it raised)
    error = Signal(str)  # user-facing message; the worker keeps running
    fault = Signal(object)  # WorkerFault: an unexpected exception, logged with its traceback and survived
    source_state = Signal(object)  # CameraState
    finished = Signal()

    def __init__(self, preview_shown: Callable[[], None]) -> None:
        super().__init__()
        self._preview_shown = preview_shown
        self.frame_ready.connect(self._arrived)

    @Slot(QImage)
    def _arrived(self, _image: QImage) -> None:
        """The preview frame reached the GUI thread: the grabber may send the next one."""
        self._preview_shown()


class CameraWorker(CaptureWorker):
    """The plain worker, reporting through ``signals``."""

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
        signals = self.signals
        match output:
            case PreviewFrame(image):
                signals.frame_ready.emit(bgr_to_qimage(image))
            case FrameAnalyzed(report):
                signals.frame_report.emit(report)
            case CaptureProgress(done, needed):
                signals.progress.emit(done, needed)
            case CaptureEnded(result):
                signals.result.emit(result)
            case JobReturned(job_id, value):
                signals.job_returned.emit(job_id, value)
            case JobFailed(job_id, error):
                signals.job_failed.emit(job_id, error)
            case WorkerError(message):
                signals.error.emit(message)
            case WorkerFaulted(fault):
                signals.fault.emit(fault)
            case SourceStateChanged(state):
                signals.source_state.emit(state)
            case WorkerStarted():
                signals.started.emit()
            case WorkerFinished():
                signals.finished.emit()


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


def stop_camera_worker(worker: CameraWorker, timeout_ms: int = 5000) -> bool:
    """Ask the worker to stop and wait for its thread; True when it ended in time."""
    worker.stop()
    return worker.join(timeout_ms / 1000)
