"""The capture worker without Qt: real footage from ../shared/video, real models, typed outputs on a queue."""

from __future__ import annotations

import queue
import threading

import pytest

from capture.clips import FACING, HAMILTON, write_clip
from kiosk.capture.commands import (
    CameraState,
    CaptureEnded,
    CaptureProgress,
    JobFailed,
    JobReturned,
    PreviewFrame,
    SourceStateChanged,
    WorkerFinished,
    WorkerOutput,
    WorkerStarted,
)
from kiosk.capture.types import OK
from kiosk.capture.worker import CaptureWorker

WAIT_S = 60


@pytest.fixture(scope="module")
def clip(videos_dir, tmp_path_factory):
    return write_clip(videos_dir / HAMILTON, tmp_path_factory.mktemp("clips") / "cooperative.avi", FACING * 6)


class Outputs:
    """Everything the worker reported, in order, and a way to wait for one kind."""

    def __init__(self) -> None:
        self.queue: queue.Queue[WorkerOutput] = queue.Queue()
        self.seen: list[WorkerOutput] = []

    def __call__(self, output: WorkerOutput) -> None:
        self.queue.put(output)

    def wait_for(self, kind: type, timeout_s: float = WAIT_S) -> WorkerOutput:
        while True:
            output = self.queue.get(timeout=timeout_s)
            self.seen.append(output)
            if isinstance(output, kind):
                return output


@pytest.fixture
def running(analyzer, settings, clip):
    outputs = Outputs()
    worker = CaptureWorker(str(clip), analyzer, settings, output=outputs)
    worker.start()
    yield worker, outputs
    worker.stop()
    assert worker.join(10)


def test_a_login_capture_ends_in_a_template(running):
    worker, outputs = running
    assert isinstance(outputs.wait_for(WorkerStarted), WorkerStarted)
    assert outputs.wait_for(SourceStateChanged) == SourceStateChanged(CameraState.OPENING)
    assert outputs.wait_for(SourceStateChanged) == SourceStateChanged(CameraState.LIVE)
    preview = outputs.wait_for(PreviewFrame)
    assert preview.image.ndim == 3  # a BGR numpy frame: no Qt type crosses this boundary
    worker.start_capture("login")
    ended = outputs.wait_for(CaptureEnded)
    assert ended.result.outcome == OK and ended.result.template is not None
    progress = [o for o in outputs.seen if isinstance(o, CaptureProgress)]
    assert progress and progress[-1].done >= 1


def test_jobs_run_on_the_worker_thread_and_failures_come_back(running):
    worker, outputs = running
    caller = threading.get_ident()
    worker.run_job("where", lambda analyzer: threading.get_ident())
    returned = outputs.wait_for(JobReturned)
    assert returned.job_id == "where" and returned.value != caller

    def broken(_analyzer):
        raise ZeroDivisionError("injected")  # FAULT INJECTION: a job that raises

    worker.run_job("broken", broken)
    failed = outputs.wait_for(JobFailed)
    assert failed.job_id == "broken" and isinstance(failed.error, ZeroDivisionError)
    worker.run_job("after", lambda analyzer: 42)
    assert outputs.wait_for(JobReturned) == JobReturned("after", 42)  # the worker kept running


class Killed(BaseException):
    """FAULT INJECTION ONLY: not an ``Exception``, so nothing in the worker catches it."""


def test_a_base_exception_ends_the_thread_and_finished_comes_last(running):
    worker, outputs = running

    def die(_analyzer):
        raise Killed("injected")

    worker.run_job("die", die)
    outputs.wait_for(WorkerFinished)
    assert worker.join(10) and not worker.is_running()
    assert not any(isinstance(o, JobReturned) for o in outputs.seen)
