"""The camera worker seen from Qt (its outputs as signals), driven by real footage from ../shared/video (offscreen Qt)."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication
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
)
from kiosk.capture.sources import VideoSource
from kiosk.ui.camera_worker import start_camera_worker

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the shared fault injection
from capture.clips import FACING, HAMILTON, write_clip  # noqa: E402
from capture.faults import DyingSource  # noqa: E402
from ui.worker_outputs import on, values, wait_for  # noqa: E402

@pytest.fixture(scope="module")
def cooperative_clip(videos_dir, tmp_path_factory):
    return write_clip(videos_dir / HAMILTON, tmp_path_factory.mktemp("clips") / "cooperative.avi", FACING * 6)


@pytest.fixture
def workers(qtbot):
    started = []

    def start(spec, analyzer, settings, **kw):
        worker = start_camera_worker(str(spec), analyzer, settings, **kw)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        assert worker.stop_and_join(10)


def wait_state(qtbot, worker, state, timeout=15000):
    with wait_for(qtbot, worker, SourceStateChanged, timeout=timeout, check=lambda s: s == state):
        pass


def test_preview_without_capture_then_a_login_result(qtbot, workers, analyzer, settings, cooperative_clip):
    reports, progress = [], []
    worker = workers(cooperative_clip, analyzer, settings)
    with wait_for(qtbot, worker, PreviewFrame, timeout=15000) as frame:
        pass
    image = frame.output.image
    assert isinstance(image, QImage) and (image.width(), image.height()) == (640, 360)
    on(worker, FrameAnalyzed, reports.append)
    on(worker, CaptureProgress, lambda done, total: progress.append((done, total)))
    qtbot.wait(300)
    assert reports == []  # no analysis while no capture runs
    with wait_for(qtbot, worker, CaptureEnded, timeout=30000) as got:
        worker.start_capture("login")
    result = got.output.result
    assert result.outcome == "ok", result.to_dict()
    assert result.template.vector.shape == (analyzer.embedding_size,)
    assert progress[0] == (0, 3) and progress[-1] == (3, 3)
    assert all(r.analyzed for r in reports) and reports[-1].done
    assert reports[-1].guidance_key == "done" and reports[-1].guidance_text == "Thank you"



def test_camera_lost_mid_capture_gives_an_error_and_the_worker_recovers(qtbot, workers, analyzer, settings, cooperative_clip):
    """FAULT INJECTION: the source dies after 6 frames once, like an unplugged camera, then works."""
    sources = []

    def opener(spec):
        sources.append(DyingSource(VideoSource(spec), die_after=6))
        return sources[-1]

    states, errors, results = [], [], []
    worker = workers(cooperative_clip, analyzer, settings, opener=opener)
    on(worker, SourceStateChanged, states.append)
    on(worker, WorkerError, errors.append)
    on(worker, CaptureEnded, results.append)
    # Queued before the first frame: warm-up (5 frames) leaves at most one analyzed frame
    # before the fault, so the capture is certainly still running when the camera dies.
    worker.start_capture("login")
    qtbot.waitUntil(lambda: len(results) == 1, timeout=20000)
    assert results[0].outcome == "not_enough" and "camera was lost" in results[0].message
    assert any("injected fault" in e for e in errors)
    qtbot.waitUntil(lambda: states.count("live") >= 2, timeout=20000)  # reopened after the back-off
    assert states[:4] == ["opening", "live", "lost", "opening"]
    assert sources[0].opens >= 2 and len(sources) == 1  # the same source was reopened (and looped, on a slow run)
    with wait_for(qtbot, worker, CaptureEnded, timeout=30000) as got:
        worker.start_capture("login")
    assert got.output.result.outcome == "ok"


def test_a_finite_source_reports_ended_and_ends_the_capture(qtbot, workers, analyzer, settings, videos_dir, tmp_path):
    blank = write_clip(videos_dir / HAMILTON, tmp_path / "blank.avi", range(20), blank=True)
    worker = workers(blank, analyzer, settings, loop=False)
    results = []
    on(worker, CaptureEnded, results.append)
    worker.start_capture("login")
    wait_state(qtbot, worker, "ended")
    qtbot.waitUntil(lambda: len(results) == 1, timeout=5000)
    assert results[0].outcome == "not_enough" and results[0].rejected.get("no_face", 0) > 0


def test_preview_is_latest_wins_when_the_gui_is_busy(qtbot, workers, analyzer, settings, cooperative_clip):
    worker = workers(cooperative_clip, analyzer, settings)
    arrived = []
    on(worker, PreviewFrame, lambda image: arrived.append(time.monotonic()))
    qtbot.waitUntil(lambda: len(arrived) >= 3, timeout=15000)
    time.sleep(1.0)  # the GUI thread is busy for a second: ~30 frames are read meanwhile
    before = len(arrived)
    QCoreApplication.processEvents()  # deliver everything that queued up meanwhile
    assert len(arrived) - before <= 2, "frames piled up while the GUI was busy"
    qtbot.wait(500)
    assert len(arrived) - before >= 5, "the preview did not resume"


def test_jobs_run_on_the_worker_thread_and_failures_come_back(qtbot, workers, analyzer, settings, cooperative_clip, faces_dir):
    worker = workers(cooperative_clip, analyzer, settings)
    seen = {}

    def embed(a):
        seen["thread"] = threading.get_ident()
        return a.embed_image(faces_dir / "deepface" / "img1.jpg").embedding.shape

    with wait_for(qtbot, worker, JobReturned, timeout=20000) as done:
        worker.run_job("j1", embed)
    assert values(done.output) == ("j1", (analyzer.embedding_size,))
    assert seen["thread"] != threading.get_ident()

    failed, returned, errors, faults = [], [], [], []
    on(worker, JobFailed, lambda *args: failed.append(args))
    on(worker, JobReturned, lambda *args: returned.append(args))
    on(worker, WorkerError, errors.append)
    on(worker, WorkerFaulted, faults.append)
    worker.run_job("j2", lambda a: a.embed_image(faces_dir / "missing.jpg"))
    qtbot.waitUntil(lambda: bool(failed and errors), timeout=20000)
    job_id, payload = failed[0]
    assert job_id == "j2" and isinstance(payload, Exception) and "missing.jpg" in errors[0]
    assert faults == []  # a refused photo is the job's answer, not a fault
    with wait_for(qtbot, worker, JobReturned, timeout=20000) as again:
        worker.run_job("j3", lambda a: a.embedding_size)
    assert values(again.output) == ("j3", analyzer.embedding_size)
    assert returned == [("j3", analyzer.embedding_size)] and len(failed) == 1


def test_a_job_that_raises_is_a_fault_the_worker_survives(qtbot, workers, analyzer, settings, cooperative_clip, caplog):
    """FAULT INJECTION: a job raises a plain RuntimeError (a bug, not a refusal)."""
    worker = workers(cooperative_clip, analyzer, settings)
    failed, faults = [], []
    on(worker, JobFailed, lambda *args: failed.append(args))
    on(worker, WorkerFaulted, faults.append)

    def broken(_analyzer):
        raise RuntimeError("injected fault")

    worker.run_job("j1", broken)
    qtbot.waitUntil(lambda: bool(failed and faults), timeout=20000)
    assert failed[0][0] == "j1" and isinstance(failed[0][1], RuntimeError)
    assert (faults[0].site, faults[0].error_type, faults[0].recovery) == ("job", "RuntimeError", None)
    assert faults[0].audit_detail() == "job: RuntimeError"
    assert any(r.exc_info and "injected fault" in str(r.exc_info[1]) for r in caplog.records)  # logged with its traceback
    with wait_for(qtbot, worker, JobReturned, timeout=20000) as again:
        worker.run_job("j2", lambda a: a.embedding_size)
    assert values(again.output) == ("j2", analyzer.embedding_size)


def test_switching_to_a_bad_source_and_back(qtbot, workers, analyzer, settings, cooperative_clip, tmp_path):
    worker = workers(cooperative_clip, analyzer, settings)
    wait_state(qtbot, worker, "live")
    with wait_for(qtbot, worker, WorkerError, timeout=5000) as err:
        worker.set_source(str(tmp_path / "nothing-here.mp4"))
    assert "not a camera index" in err.output.message
    with wait_for(qtbot, worker, PreviewFrame, timeout=15000):
        worker.set_source(str(cooperative_clip))


def test_unknown_profile_is_an_error_not_a_crash(qtbot, workers, analyzer, settings, cooperative_clip):
    worker = workers(cooperative_clip, analyzer, settings)
    with wait_for(qtbot, worker, WorkerError, timeout=5000) as err:
        worker.start_capture("admin")
    assert "unknown capture profile" in err.output.message
    with wait_for(qtbot, worker, PreviewFrame, timeout=15000):
        pass


def test_signals_connected_right_after_the_start_see_the_first_states(qtbot, workers, analyzer, settings, cooperative_clip):
    worker = workers(cooperative_clip, analyzer, settings)
    states = []
    on(worker, SourceStateChanged, states.append)
    assert not worker.is_running()  # it starts from the event loop, after these connections
    qtbot.waitUntil(lambda: "live" in states, timeout=15000)
    assert states[:2] == ["opening", "live"]


def test_stop_before_the_event_loop_ran_is_clean(qtbot, analyzer, settings, cooperative_clip):
    worker = start_camera_worker(str(cooperative_clip), analyzer, settings)
    finished = []
    on(worker, WorkerFinished, lambda: finished.append(True))
    assert worker.stop_and_join(10)
    qtbot.waitUntil(lambda: bool(finished), timeout=10000)  # it started, saw the flag and ended


def test_stop_ends_the_thread_by_flag(qtbot, analyzer, settings, cooperative_clip):
    worker = start_camera_worker(str(cooperative_clip), analyzer, settings)
    with wait_for(qtbot, worker, PreviewFrame, timeout=15000):
        pass
    worker.start_capture("enroll")
    with wait_for(qtbot, worker, WorkerFinished, timeout=10000):
        assert worker.stop_and_join(10)
    assert not worker.is_running()


def test_bgr_frames_become_independent_qimages():
    from kiosk.ui.qimage import bgr_to_qimage

    frame = np.zeros((4, 6, 3), np.uint8)
    frame[1, 2] = (255, 0, 0)  # blue in OpenCV's BGR order
    frame[3, 5] = (0, 0, 255)  # red
    frame[3, 4] = (0, 255, 0)  # green
    image = bgr_to_qimage(frame[:, :5])  # a non-contiguous view is fine too
    frame[1, 2] = (0, 255, 0)  # the camera reuses its buffer: the image must not change
    assert (image.width(), image.height()) == (5, 4)
    assert image.pixelColor(2, 1).getRgb()[:3] == (0, 0, 255)
    assert image.pixelColor(4, 3).getRgb()[:3] == (0, 255, 0)
    assert image.format() == QImage.Format.Format_RGB32  # what the raster painter draws without converting
    gray = bgr_to_qimage(np.full((2, 3), 77, np.uint8))
    assert gray.format() == QImage.Format.Format_Grayscale8 and gray.pixelColor(1, 1).red() == 77
    with pytest.raises(ValueError, match="uint8"):
        bgr_to_qimage(np.zeros((2, 2, 3), np.float32))


def test_a_worker_started_before_the_models_previews_and_keeps_captures_and_jobs_until_they_load(qtbot, workers, analyzer, settings, cooperative_clip):
    worker = workers(cooperative_clip, None, settings)
    reports, results, jobs, frames = [], [], [], []
    on(worker, FrameAnalyzed, reports.append)
    on(worker, CaptureEnded, results.append)
    on(worker, JobReturned, lambda job_id, value: jobs.append((job_id, value)))
    on(worker, PreviewFrame, frames.append)
    worker.start_capture("login")
    worker.run_job("size", lambda a: a.embedding_size)
    qtbot.waitUntil(lambda: len(frames) >= 20, timeout=30000)  # the preview runs without models
    assert (reports, results, jobs) == ([], [], [])  # the capture and the job wait for them
    worker.set_analyzer(analyzer)
    qtbot.waitUntil(lambda: bool(jobs) and bool(results), timeout=60000)
    assert jobs == [("size", 512)]  # the test pack's embedding
    assert reports and results[0].outcome == "ok"  # the login kept from before ran on the cooperative face


class CountingSource:
    """A real video source that counts the frames read (a spy, no fault): what the preview could have shown."""

    def __init__(self, source) -> None:
        self.source, self.reads = source, 0
        self.live = source.live

    def __getattr__(self, name):
        return getattr(self.source, name)

    def read(self):
        frame = self.source.read()
        self.reads += 1
        return frame


def test_a_resting_login_capture_previews_at_the_resting_rate(qtbot, workers, analyzer, models_dir, videos_dir, tmp_path):
    from kiosk.capture.rest import Pace
    from kiosk.config import load_settings

    still = write_clip(videos_dir / HAMILTON, tmp_path / "still.avi", range(90), blank=True)  # no face, nothing moves
    rest = load_settings(data_dir=tmp_path, environ={}, overrides={"models": str(models_dir), "camera.rest_after_s": 0.3, "camera.rest_preview_fps": 10})
    sources = []

    def opener(spec):
        sources.append(CountingSource(VideoSource(spec)))
        return sources[-1]

    previews = []
    worker = workers(still, analyzer, rest, opener=opener)
    on(worker, PreviewFrame, previews.append)
    worker.start_capture("login", unattended=True)
    qtbot.waitUntil(lambda: worker.rest.pace == Pace.RESTING, timeout=30000)
    reads0, shown0 = sources[0].reads, len(previews)
    qtbot.waitUntil(lambda: sources[0].reads - reads0 >= 90, timeout=30000)
    reads, shown = sources[0].reads - reads0, len(previews) - shown0
    assert worker.rest.pace == Pace.RESTING
    assert 5 <= shown <= reads / 3 + 2, (shown, reads)  # 10 of the file's 30 frames a second
