"""The camera worker: a ``QObject`` on its own ``QThread`` that owns the source and the analyzer.

Two loops, so inference never blocks the preview:

* a grabber (a plain thread inside the worker) reads the source as fast as it
  delivers (files paced to their own fps), emits each frame as a ``QImage`` and
  keeps only the newest one for analysis;
* the worker thread takes the newest frame, feeds the capture session and runs
  jobs. It is the only thread that calls the analyzer (DirectML allows one ``Run``
  at a time per session).

Slots only enqueue commands, so the GUI may call them directly or through queued
signals; the worker thread drains the queue between frames. A lost camera becomes
an ``error`` signal and a reopen with back-off, never an exception in the GUI.
"""

from __future__ import annotations

import dataclasses
import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal, Slot
from PySide6.QtGui import QImage

from kiosk.capture import types as out
from kiosk.capture.session import CaptureSession
from kiosk.capture.sources import Backoff, FrameSource, open_source
from kiosk.capture.types import Frame
from kiosk.config import Settings
from kiosk.errors import CameraError, KioskError, SourceEndedError
from kiosk.ui.qimage import bgr_to_qimage

log = logging.getLogger(__name__)

POLL_S = 0.03  # how long the worker waits for a new frame before looking at its commands again


class _PreviewGate(QObject):
    """Lives on the GUI thread and notes when a preview frame got there.

    The grabber skips a frame while the previous one is still in flight, so a busy
    GUI sees the newest frame when it is ready instead of a backlog of old ones.
    """

    def __init__(self) -> None:
        super().__init__()
        self.in_flight = threading.Event()

    @Slot(QImage)
    def arrived(self, _image: QImage) -> None:
        self.in_flight.clear()


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
                self.worker._post("state", "opening")
                try:
                    self.source.open()
                except CameraError as exc:
                    self._lost(exc)
                    continue
                self.backoff.reset()
                self.worker._post("state", "live")
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
                self.worker._post("state", "ended")
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
        self.worker._post("lost", str(exc))
        self.stopping.wait(self.backoff.next_delay())


class CameraWorker(QObject):
    frame_ready = Signal(QImage)  # newest preview frame, latest wins
    frame_report = Signal(object)  # FrameReport of each analyzed frame
    guidance = Signal(str, str)  # guidance key, English text (when it changes)
    progress = Signal(int, int)  # steps done, steps needed
    result = Signal(object)  # CaptureResult
    job_done = Signal(object, object)  # (job_id, return value, or the exception it raised)
    error = Signal(str)  # user-facing message; the worker keeps running
    source_state = Signal(str)  # "opening" | "live" | "lost" | "ended"
    finished = Signal()

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
        self._commands: queue.Queue[tuple] = queue.Queue()
        self._stop = threading.Event()
        self._latest: Frame | None = None
        self._latest_lock = threading.Condition()
        self._grabber: _Grabber | None = None
        self._session: CaptureSession | None = None
        self._challenge: bool | None = None
        self._last_guidance: str | None = None
        self._gate = _PreviewGate()  # created here, on the GUI thread, and not moved with the worker
        self.frame_ready.connect(self._gate.arrived)

    # -- slots: callable from any thread ---------------------------------------
    @Slot(str)
    def start_capture(self, profile_name: str) -> None:
        self._commands.put(("capture", profile_name))

    @Slot()
    def cancel_capture(self) -> None:
        self._commands.put(("cancel",))

    @Slot(str)
    def set_source(self, spec: str) -> None:
        self._commands.put(("source", spec))

    @Slot(object, object)
    def run_job(self, job_id: Any, fn: Callable[[Any], Any]) -> None:
        self._commands.put(("job", job_id, fn))

    def set_challenge(self, enabled: bool | None) -> None:
        """Force the head-turn challenge on or off for later captures (``None``: the profile decides)."""
        self._commands.put(("challenge", enabled))

    def stop(self) -> None:
        self._stop.set()
        with self._latest_lock:
            self._latest_lock.notify_all()

    # -- called by the grabber thread ------------------------------------------
    def _post(self, *command: Any) -> None:
        self._commands.put(command)

    def _deliver(self, frame: Frame) -> None:
        with self._latest_lock:
            self._latest = frame
            self._latest_lock.notify_all()
        if not self._gate.in_flight.is_set():
            self._gate.in_flight.set()
            self.frame_ready.emit(bgr_to_qimage(frame.image))

    # -- the worker thread -----------------------------------------------------
    @Slot()
    def run(self) -> None:
        try:
            if not self._stop.is_set():  # stopped before its thread even started: open nothing
                self._open(self._spec)
            while not self._stop.is_set():
                QCoreApplication.processEvents()
                self._drain_commands()
                frame = self._take_frame()
                if frame is not None and self._session is not None:
                    self._feed(frame)
        finally:
            self._close_source()
            self._end_session(out.CANCELLED, "the camera worker stopped", announce=False)
            self.finished.emit()

    def _take_frame(self) -> Frame | None:
        with self._latest_lock:
            if self._latest is None and not self._stop.is_set():
                self._latest_lock.wait(POLL_S)
            frame, self._latest = self._latest, None
        return frame

    def _drain_commands(self) -> None:
        while True:
            try:
                command = self._commands.get_nowait()
            except queue.Empty:
                return
            kind, args = command[0], command[1:]
            if kind == "capture":
                self._start_session(*args)
            elif kind == "cancel":
                self._end_session(out.CANCELLED, "cancelled", announce=False)
            elif kind == "source":
                self._open(*args)
            elif kind == "challenge":
                self._challenge = args[0]
            elif kind == "job":
                self._run_job(*args)
            elif kind == "state":
                self.source_state.emit(args[0])
            elif kind == "lost":
                self.error.emit(args[0])
                self.source_state.emit("lost")
                self._end_session(out.NOT_ENOUGH, f"the camera was lost: {args[0]}")
            if kind == "state" and args[0] == "ended":
                self._end_session(out.NOT_ENOUGH, "the video ended")

    def _open(self, spec: str) -> None:
        self._close_source()
        self._end_session(out.NOT_ENOUGH, "the camera source changed")
        self._spec = spec
        try:
            source = self._opener(spec)
        except KioskError as exc:
            self.error.emit(str(exc))
            self.source_state.emit("lost")
            return
        self._grabber = _Grabber(self, source, self.loop)
        self._grabber.start()

    def _close_source(self) -> None:
        if self._grabber is not None:
            self._grabber.stopping.set()
            self._grabber.join()
            self._grabber = None
        with self._latest_lock:
            self._latest = None

    def _start_session(self, profile_name: str) -> None:
        self._end_session(out.CANCELLED, "a new capture started", announce=False)
        try:
            profile = self.settings.profile(profile_name)
        except KioskError as exc:
            self.error.emit(str(exc))
            return
        self._session = CaptureSession(self.analyzer, profile, name=profile_name, challenge=self._challenge)
        self._last_guidance = None
        self.progress.emit(*self._session.progress)

    def _feed(self, frame: Frame) -> None:
        session = self._session
        try:
            report = session.feed(frame)
        except KioskError as exc:
            self.error.emit(str(exc))
            self._end_session(out.NOT_ENOUGH, str(exc))
            return
        if report.analyzed:
            self.frame_report.emit(report)
            self.progress.emit(*report.progress)
            if report.guidance_key and report.guidance_key != self._last_guidance:
                self._last_guidance = report.guidance_key
                self.guidance.emit(report.guidance_key, report.guidance_text)
        if session.done:
            self._session = None
            self.result.emit(session.result)

    def _end_session(self, outcome: str, message: str, *, announce: bool = True) -> None:
        session, self._session = self._session, None
        if session is not None:
            result = session.end(outcome, message)
            if announce:
                self.result.emit(result)

    def _run_job(self, job_id: Any, fn: Callable[[Any], Any]) -> None:
        try:
            value = fn(self.analyzer)
        except Exception as exc:  # noqa: BLE001 - a failed job is reported, never kills the worker
            log.warning("job %s failed: %s", job_id, exc, exc_info=not isinstance(exc, KioskError))
            self.error.emit(str(exc))
            self.job_done.emit(job_id, exc)
            return
        self.job_done.emit(job_id, value)


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
    worker.finished.connect(thread.quit)
    worker.finished.connect(worker.deleteLater)
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
