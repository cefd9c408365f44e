"""The camera worker: a ``QObject`` on its own ``QThread`` that owns the source and the analyzer.

Two loops, so inference never blocks the preview:

* a grabber (a plain thread inside the worker) reads the source as fast as it
  delivers (files paced to their own fps), emits each frame as a ``QImage`` and
  keeps only the newest one for analysis;
* the worker thread takes the newest frame, feeds the capture session and runs
  jobs. It is the only thread that calls the analyzer (DirectML allows one ``Run``
  at a time per session).

Every input is a ``Command`` on one queue (``kiosk/capture/commands.py``): the GUI's
requests are plain methods that only enqueue, and the grabber posts the camera's
state the same way; the worker thread drains the queue between frames. A lost
camera becomes an ``error`` signal and a reopen with back-off, never an exception in
the GUI. Any other exception while a frame is analyzed or a job runs is caught,
logged with its traceback and reported as a ``fault``; a failed model is rebuilt
(see ``kiosk/engine/recovery.py``) and the worker keeps running.

The worker may start before the models have loaded (``analyzer`` None): the preview
runs, so the attract screen shows sooner (issue 15); captures and jobs asked for
until ``set_analyzer`` wait, in order, and run then.
"""

from __future__ import annotations

import dataclasses
import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot
from PySide6.QtGui import QImage

from kiosk.capture import types as out
from kiosk.capture.commands import NEEDS_ANALYZER, CameraState, Command, FaultSite, WorkerCommand, WorkerFault
from kiosk.capture.rest import RestGate, RestPolicy
from kiosk.capture.session import CaptureSession
from kiosk.capture.sources import Backoff, FrameSource, open_source
from kiosk.capture.types import Frame
from kiosk.config import Settings
from kiosk.engine.recovery import ModelFault, first_line
from kiosk.errors import CameraError, KioskError, SourceEndedError
from kiosk.ui.qimage import bgr_to_qimage

log = logging.getLogger(__name__)

POLL_S = 0.03  # the longest the idle worker sleeps: a frame, a command or stop wakes it sooner


class WorkerSignals(QObject):
    """The worker's outputs, on an object that stays on the GUI thread (superqt's ``WorkerBaseSignals``).

    PySide6 runs a receiver that is not a ``QObject`` slot (a lambda, a test's
    recorder) in the thread of the signal's object. These signals belong to this
    GUI-side object, so every listener runs on the GUI thread, queued, whoever emits;
    on the worker itself a listener would run on the worker's thread, which runs no
    event loop while it works. Split as superqt's workers are: ``started``, per job
    ``job_returned`` or ``job_failed``, ``fault`` for what was caught and survived,
    ``finished``.

    It also gates the preview: the grabber skips a frame while the previous one is
    still in flight, so a busy GUI sees the newest frame when it is ready instead of
    a backlog of old ones.
    """

    started = Signal()  # run() began on the worker thread
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

    def __init__(self) -> None:
        super().__init__()
        self.preview_in_flight = threading.Event()
        self.frame_ready.connect(self._arrived)

    @Slot(QImage)
    def _arrived(self, _image: QImage) -> None:
        self.preview_in_flight.clear()


class _Grabber(threading.Thread):
    """Reads one source until stopped: reopens a lost camera with back-off, loops or ends a file."""

    def __init__(self, worker: CameraWorker, source: FrameSource, loop: bool) -> None:
        super().__init__(name=f"grabber {source.describe()}", daemon=True)
        self.worker = worker
        self.source = source
        self.loop = loop
        self.stopping = threading.Event()
        self.backoff = Backoff()

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                self.worker._post(Command.source_state(CameraState.OPENING))
                try:
                    self.source.open()
                except CameraError as exc:
                    self._lost(exc)
                    continue
                self.backoff.reset()
                self.worker._post(Command.source_state(CameraState.LIVE))
                if not self._read_until_failure():
                    return
        finally:
            self.source.close()

    def _read_until_failure(self) -> bool:
        """Deliver frames; False when the grabber should end, True to reopen."""
        clock_start = None
        while not self.stopping.is_set():
            try:
                frame = self.source.read()
            except SourceEndedError:
                if self.loop:
                    return True
                self.worker._post(Command.source_state(CameraState.ENDED))
                return False
            except CameraError as exc:
                self._lost(exc)
                return True
            if not self.source.live:
                # A file would be read at decoding speed; pace it like the camera it stands in for.
                if clock_start is None or frame.index == 0:
                    clock_start = time.monotonic() - frame.timestamp
                delay = clock_start + frame.timestamp - time.monotonic()
                if delay > 0 and self.stopping.wait(delay):
                    return False
            self.worker._deliver(dataclasses.replace(frame, timestamp=time.monotonic()))
        return False

    def _lost(self, exc: CameraError) -> None:
        self.worker._post(Command.source_state(CameraState.LOST, str(exc)))
        self.stopping.wait(self.backoff.next_delay())


class CameraWorker(QObject):
    """Owns the source and the analyzer on its thread; its signals are those of ``WorkerSignals``."""

    def __init__(
        self,
        source_spec: str,
        analyzer: Any,
        settings: Settings,
        *,
        opener: Callable[[str], FrameSource] | None = None,
        loop: bool = True,
    ) -> None:
        super().__init__()
        self.analyzer = analyzer
        self.settings = settings
        self.loop = loop
        self._opener = opener or (lambda spec: open_source(spec, self.settings.camera))
        self._spec = source_spec
        self._commands: queue.Queue[Command] = queue.Queue()
        self._stop = threading.Event()
        self._latest: Frame | None = None
        self._wake = threading.Condition()  # a new frame, a new command, or stop
        self._grabber: _Grabber | None = None
        self._session: CaptureSession | None = None
        self._waiting: list[Command] = []  # asked for before the analyzer arrived
        # Rest and wake for the login capture the attract screen keeps running: spans captures.
        self.rest = RestGate(RestPolicy.from_settings(settings.camera))
        self.signals = WorkerSignals()  # created here, on the GUI thread, and not moved with the worker

    # -- requests: plain methods, callable from any thread; each only queues a command --
    def start_capture(self, profile_name: str) -> None:
        self._post(Command.capture(profile_name))

    def cancel_capture(self) -> None:
        self._post(Command.cancel())

    def set_source(self, spec: str) -> None:
        self._post(Command.source(spec))

    def run_job(self, job_id: str, fn: Callable[[Any], Any]) -> None:
        self._post(Command.run_job(job_id, fn))

    def set_analyzer(self, analyzer: Any) -> None:
        self._post(Command.models_loaded(analyzer))

    def stop(self) -> None:
        self._stop.set()
        with self._wake:
            self._wake.notify_all()

    def _post(self, command: Command) -> None:
        self._commands.put(command)
        with self._wake:
            self._wake.notify_all()

    # -- called by the grabber thread ------------------------------------------
    def _deliver(self, frame: Frame) -> None:
        with self._wake:
            self._latest = frame
            self._wake.notify_all()
        if not self.signals.preview_in_flight.is_set() and self.rest.preview_due(frame.timestamp):
            self.signals.preview_in_flight.set()
            self.signals.frame_ready.emit(bgr_to_qimage(frame.image))

    # -- the worker thread -----------------------------------------------------
    @Slot()
    def run(self) -> None:
        self.signals.started.emit()
        try:
            if not self._stop.is_set():  # stopped before its thread even started: open nothing
                self._open(self._spec)
            while not self._stop.is_set():
                try:
                    self._step()
                except Exception as exc:  # noqa: BLE001 - the safety net: only stop() ends this loop
                    self._fault(FaultSite.WORKER, exc)
        finally:
            self._close_source()
            self._end_session(out.CANCELLED, "the camera worker stopped", announce=False)
            self.signals.finished.emit()

    def _step(self) -> None:
        self._drain_commands()
        frame = self._take_frame()
        if frame is not None and self._session is not None:
            if self._session.name != "login" or self.rest.admit(frame):
                self._feed(frame)

    def _take_frame(self) -> Frame | None:
        with self._wake:
            if self._latest is None and self._commands.empty() and not self._stop.is_set():
                self._wake.wait(POLL_S)
            frame, self._latest = self._latest, None
        return frame

    def _drain_commands(self) -> None:
        while True:
            try:
                command = self._commands.get_nowait()
            except queue.Empty:
                return
            self._handle(command)

    def _handle(self, command: Command) -> None:
        if self.analyzer is None and command.kind in NEEDS_ANALYZER:
            self._waiting.append(command)
            return
        match command.kind:
            case WorkerCommand.ANALYZER:
                self.analyzer = command.analyzer
                waiting, self._waiting = self._waiting, []
                for held in waiting:
                    self._handle(held)
            case WorkerCommand.CAPTURE:
                self._start_session(command.profile)
            case WorkerCommand.CANCEL:  # a screen let its capture go: someone is there (the full preview rate back)
                self._end_session(out.CANCELLED, "cancelled", announce=False)
                self.rest.wake()
            case WorkerCommand.SOURCE:
                self._open(command.spec)
            case WorkerCommand.JOB:
                assert command.job is not None  # Command.run_job always sets it
                self._run_job(command.job_id, command.job)
            case WorkerCommand.STATE if command.state == CameraState.LOST:
                self.signals.error.emit(command.message)
                self.signals.source_state.emit(CameraState.LOST)
                self._end_session(out.NOT_ENOUGH, f"the camera was lost: {command.message}")
            case WorkerCommand.STATE:
                self.signals.source_state.emit(command.state)
                if command.state == CameraState.ENDED:
                    self._end_session(out.NOT_ENOUGH, "the video ended")

    def _open(self, spec: str) -> None:
        self._close_source()
        self._end_session(out.NOT_ENOUGH, "the camera source changed")
        self._spec = spec
        try:
            source = self._opener(spec)
        except KioskError as exc:
            self.signals.error.emit(str(exc))
            self.signals.source_state.emit(CameraState.LOST)
            return
        self._grabber = _Grabber(self, source, self.loop)
        self._grabber.start()

    def _close_source(self) -> None:
        if self._grabber is not None:
            self._grabber.stopping.set()
            self._grabber.join()
            self._grabber = None
        with self._wake:
            self._latest = None

    def _start_session(self, profile_name: str) -> None:
        self._end_session(out.CANCELLED, "a new capture started", announce=False)
        try:
            profile = self.settings.profile(profile_name)
        except KioskError as exc:
            self.signals.error.emit(str(exc))
            return
        self._session = CaptureSession(self.analyzer, profile, name=profile_name, match=self.settings.match)
        self.rest.policy = RestPolicy.from_settings(self.settings.camera)  # a saved settings screen counts from the next capture
        if profile_name != "login":  # someone asked for it (enrollment): nobody waits for a wake-up
            self.rest.wake()
        self.signals.progress.emit(*self._session.progress)

    def _feed(self, frame: Frame) -> None:
        session = self._session
        assert session is not None  # _step feeds only during a capture
        try:
            report = session.feed(frame)
        except KioskError as exc:
            self.signals.error.emit(str(exc))
            self._end_session(out.NOT_ENOUGH, str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - a failing model ends this capture, not the worker
            fault = self._fault(FaultSite.ANALYSIS, exc)
            self._end_session(out.NOT_ENOUGH, f"the face analysis failed ({fault.error_type})")
            return
        if report.analyzed:
            self.rest.observed(frame.timestamp, bool(report.observations))
            self.signals.frame_report.emit(report)
            self.signals.progress.emit(*report.progress)
        if session.done:
            self._session = None
            self.signals.result.emit(session.result)

    def _end_session(self, outcome: out.CaptureOutcome, message: str, *, announce: bool = True) -> None:
        session, self._session = self._session, None
        if session is not None:
            result = session.end(outcome, message)
            if announce:
                self.signals.result.emit(result)

    def _run_job(self, job_id: str, fn: Callable[[Any], Any]) -> None:
        try:
            value = fn(self.analyzer)
        except KioskError as exc:  # an expected refusal (no face, unreadable file): the job's answer
            self.signals.error.emit(str(exc))  # the window logs it (once): not here as well (issue 21)
            self.signals.job_failed.emit(job_id, exc)
        except Exception as exc:  # noqa: BLE001 - a failed job is reported, never kills the worker
            self._fault(FaultSite.JOB, exc)
            self.signals.job_failed.emit(job_id, exc)
        else:
            self.signals.job_returned.emit(job_id, value)

    def _fault(self, site: FaultSite, exc: Exception) -> WorkerFault:
        """Log with the traceback, let the analyzer rebuild a failed model, tell the GUI."""
        log.error("camera worker: %s failed", site, exc_info=exc)
        recovery = None
        if isinstance(exc, ModelFault):
            try:
                recovery = self.analyzer.recover(exc)
            except Exception:  # noqa: BLE001 - recovery must not take the worker down either
                log.exception("recovering the %s model failed", exc.role)
        error_type = exc.error_type if isinstance(exc, ModelFault) else type(exc).__name__
        fault = WorkerFault(site, error_type, first_line(exc), recovery)
        self.signals.error.emit(fault.describe())
        self.signals.fault.emit(fault)
        return fault


def start_camera_worker(
    source_spec: str,
    analyzer: Any,
    settings: Settings,
    parent: QObject | None = None,
    *,
    opener: Callable[[str], FrameSource] | None = None,
    loop: bool = True,
) -> tuple[QThread, CameraWorker]:
    """Create and wire the worker and its thread; the thread starts on the caller's next event-loop turn.

    Starting from the event loop rather than here means every signal the caller
    connects right after this call returns also sees the first ``opening`` / ``live``.
    """
    thread = QThread(parent)
    worker = CameraWorker(source_spec, analyzer, settings, opener=opener, loop=loop)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    worker.signals.finished.connect(thread.quit)
    worker.signals.finished.connect(worker.deleteLater)
    thread.finished.connect(thread.deleteLater)
    QTimer.singleShot(0, thread.start)
    return thread, worker


def stop_camera_worker(thread: QThread, worker: CameraWorker, timeout_ms: int = 5000) -> bool:
    """Ask the worker to stop and wait for its thread; True when it ended in time."""
    try:
        worker.stop()
        thread.quit()
        return bool(thread.wait(timeout_ms))
    except RuntimeError:  # both already deleted: it stopped earlier
        return True
