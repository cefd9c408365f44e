"""The capture worker: plain Python, one thread that owns the camera source and the analyzer.

Two loops, so inference never blocks the preview:

* a grabber (a plain thread inside the worker) reads the source as fast as it
  delivers (files paced to their own fps), sends each frame for the preview and
  keeps only the newest one for analysis;
* the worker thread takes the newest frame, feeds the capture session and runs
  jobs. It is the only thread that calls the analyzer (DirectML allows one ``Run``
  at a time per session).

Every input is a ``Command`` on one queue (``kiosk/capture/commands.py``): requests are
plain methods that only enqueue, and the grabber posts the camera's state the same way;
the worker thread drains the queue between frames. Every output is one typed value
(``WorkerOutput``, same module) passed to the ``output`` callable on the worker's or the
grabber's thread: the Qt adapter (``kiosk/ui/camera_worker.py``) turns them into signals on
the GUI thread, the application model (``kiosk/app``) takes them headless. A lost camera
becomes a ``WorkerError`` and a reopen with back-off, never an exception in the caller.
Any other exception while a frame is analyzed or a job runs is caught, logged with its
traceback and reported as a ``WorkerFaulted``; a failed model is rebuilt (see
``kiosk/engine/recovery.py``) and the worker keeps running.

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

from kiosk.capture import types as out
from kiosk.capture.commands import (
    NEEDS_ANALYZER,
    CameraState,
    CaptureEnded,
    CaptureProgress,
    Command,
    FaultSite,
    FrameAnalyzed,
    JobFailed,
    JobReturned,
    PreviewFrame,
    SourceStateChanged,
    WorkerCommand,
    WorkerError,
    WorkerFault,
    WorkerFaulted,
    WorkerFinished,
    WorkerOutput,
    WorkerStarted,
)
from kiosk.capture.rest import RestGate, RestPolicy
from kiosk.capture.session import CaptureSession
from kiosk.capture.sources import Backoff, FrameSource, open_source
from kiosk.capture.types import Frame
from kiosk.config import Settings
from kiosk.engine.recovery import ModelFault, first_line
from kiosk.errors import CameraError, KioskError, SourceEndedError

log = logging.getLogger(__name__)

POLL_S = 0.03  # the longest the idle worker sleeps: a frame, a command or stop wakes it sooner


class _Grabber(threading.Thread):
    """Reads one source until stopped: reopens a lost camera with back-off, loops or ends a file."""

    def __init__(self, worker: CaptureWorker, source: FrameSource, loop: bool) -> None:
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


class CaptureWorker:
    """Owns the source and the analyzer on its own thread; reports through ``output``."""

    def __init__(
        self,
        source_spec: str,
        analyzer: Any,
        settings: Settings,
        *,
        output: Callable[[WorkerOutput], None],
        opener: Callable[[str], FrameSource] | None = None,
        loop: bool = True,
    ) -> None:
        self.analyzer = analyzer
        self._output = output
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
        self._unattended = False  # the running session's: see ``start_capture``
        self._waiting: list[Command] = []  # asked for before the analyzer arrived
        # Rest and wake for the login capture the attract screen keeps running: spans captures.
        self.rest = RestGate(RestPolicy.from_settings(settings.camera))
        # Set while a preview frame is on its way to the screen: the grabber skips frames meanwhile,
        # so a busy GUI sees the newest frame when it is ready, not a backlog (``preview_shown``).
        self.preview_in_flight = threading.Event()
        self._thread: threading.Thread | None = None

    # -- requests: plain methods, callable from any thread; each only queues a command --
    def start_capture(self, profile_name: str, *, unattended: bool = False) -> None:
        """``unattended``: a capture left running for whoever comes (the attract screen's sign-in),
        which rests the camera while nobody is there (``kiosk/capture/rest.py``)."""
        self._post(Command.capture(profile_name, unattended=unattended))

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
        if not self.preview_in_flight.is_set() and self.rest.preview_due(frame.timestamp):
            self.preview_in_flight.set()
            self._out(PreviewFrame(frame.image))

    def preview_shown(self) -> None:
        """The last preview frame reached the screen: the next one may be sent."""
        self.preview_in_flight.clear()

    def _out(self, output: WorkerOutput) -> None:
        self._output(output)

    # -- the worker thread -----------------------------------------------------
    def start(self) -> None:
        """Run the worker loop on a thread of its own."""
        self._thread = threading.Thread(target=self.run, name="capture-worker", daemon=True)
        self._thread.start()

    def stop_and_join(self, timeout_s: float) -> bool:
        """Stop by flag, then wait for the thread (never killed); True when it ended in time."""
        self.stop()
        return self.join(timeout_s)

    def join(self, timeout_s: float | None = None) -> bool:
        """Wait for the worker's thread after ``stop``; True when it ended (or never started)."""
        if self._thread is None:
            return True
        self._thread.join(timeout_s)
        return not self._thread.is_alive()

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def run(self) -> None:
        self._out(WorkerStarted())
        try:
            if not self._stop.is_set():  # stopped before its thread even started: open nothing
                self._open(self._spec)
            while not self._stop.is_set():
                try:
                    self._step()
                except Exception as exc:  # noqa: BLE001 - the safety net: only stop() ends this loop
                    self._fault(FaultSite.WORKER, exc)
        except BaseException:  # noqa: BLE001 - not an Exception: the thread ends here, said once, and its owner replaces it
            log.critical("the capture worker's thread ended", exc_info=True)
        finally:
            self._close_source()
            self._end_session(out.CANCELLED, "the camera worker stopped", announce=False)
            self._out(WorkerFinished())

    def _step(self) -> None:
        self._drain_commands()
        frame = self._take_frame()
        if frame is not None and self._session is not None:
            if not self._unattended or self.rest.admit(frame):
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
                self._start_session(command.profile, command.unattended)
            case WorkerCommand.CANCEL:  # a screen let its capture go: someone is there (the full preview rate back)
                self._end_session(out.CANCELLED, "cancelled", announce=False)
                self.rest.wake()
            case WorkerCommand.SOURCE:
                self._open(command.spec)
            case WorkerCommand.JOB:
                assert command.job is not None  # Command.run_job always sets it
                self._run_job(command.job_id, command.job)
            case WorkerCommand.STATE if command.state == CameraState.LOST:
                self._out(WorkerError(command.message))
                self._out(SourceStateChanged(CameraState.LOST))
                self._end_session(out.NOT_ENOUGH, f"the camera was lost: {command.message}")
            case WorkerCommand.STATE:
                assert command.state is not None  # Command.source_state always sets it
                self._out(SourceStateChanged(command.state))
                if command.state == CameraState.ENDED:
                    self._end_session(out.NOT_ENOUGH, "the video ended")

    def _open(self, spec: str) -> None:
        self._close_source()
        self._end_session(out.NOT_ENOUGH, "the camera source changed")
        self._spec = spec
        try:
            source = self._opener(spec)
        except KioskError as exc:
            self._out(WorkerError(str(exc)))
            self._out(SourceStateChanged(CameraState.LOST))
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

    def _start_session(self, profile_name: str, unattended: bool) -> None:
        self._end_session(out.CANCELLED, "a new capture started", announce=False)
        try:
            profile = self.settings.profile(profile_name)
        except KioskError as exc:
            self._out(WorkerError(str(exc)))
            return
        self._session = CaptureSession(self.analyzer, profile, name=profile_name, match=self.settings.match)
        self.rest.policy = RestPolicy.from_settings(self.settings.camera)  # a saved settings screen counts from the next capture
        self._unattended = unattended
        if not unattended:  # someone asked for it (enrollment): nobody waits for a wake-up
            self.rest.wake()
        self._out(CaptureProgress(*self._session.progress))

    def _feed(self, frame: Frame) -> None:
        session = self._session
        assert session is not None  # _step feeds only during a capture
        try:
            report = session.feed(frame)
        except KioskError as exc:
            self._out(WorkerError(str(exc)))
            self._end_session(out.NOT_ENOUGH, str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - a failing model ends this capture, not the worker
            fault = self._fault(FaultSite.ANALYSIS, exc)
            self._end_session(out.NOT_ENOUGH, f"the face analysis failed ({fault.error_type})")
            return
        if report.analyzed:
            self.rest.observed(frame.timestamp, bool(report.observations))
            self._out(FrameAnalyzed(report))
            self._out(CaptureProgress(*report.progress))
        if session.result is not None:  # done
            self._session = None
            self._out(CaptureEnded(session.result))

    def _end_session(self, outcome: out.CaptureOutcome, message: str, *, announce: bool = True) -> None:
        session, self._session = self._session, None
        if session is not None:
            result = session.end(outcome, message)
            if announce:
                self._out(CaptureEnded(result))

    def _run_job(self, job_id: str, fn: Callable[[Any], Any]) -> None:
        try:
            value = fn(self.analyzer)
        except KioskError as exc:  # an expected refusal (no face, unreadable file): the job's answer
            self._out(WorkerError(str(exc)))  # the window logs it (once): not here as well (issue 21)
            self._out(JobFailed(job_id, exc))
        except Exception as exc:  # noqa: BLE001 - a failed job is reported, never kills the worker
            self._fault(FaultSite.JOB, exc)
            self._out(JobFailed(job_id, exc))
        else:
            self._out(JobReturned(job_id, value))

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
        self._out(WorkerError(fault.describe()))
        self._out(WorkerFaulted(fault))
        return fault
