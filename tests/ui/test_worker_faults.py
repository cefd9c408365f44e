"""A kiosk that does not freeze: failing models and a dying worker thread (fault injection).

Everything is real (the test pack on CPU, SQLCipher, person videos made from
../shared photos, the kiosk window offscreen) except the failure itself, injected
with ``tests/capture/faults.py``. Each test ends with the kiosk signing the next
person in: an accepted ``identify`` audit row newer than the fault's ``worker_error``.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import sys
from pathlib import Path

import pytest

from kiosk.capture.commands import FaultSite, WorkerFaulted
from kiosk.engine.analyzer import FaceAnalyzer
from kiosk.engine.providers import CPU, DIRECTML
from kiosk.engine.recovery import REBUILDS_BEFORE_CPU, RecoveryAction
from kiosk.engine.runtime_report import REPORT_FILE
from kiosk.flows.signin import ACCEPT

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the shared fault injection
from capture.faults import DirectMLStandIn, FailingSession  # noqa: E402
from ui.worker_outputs import on  # noqa: E402

# The whole module is in the full suite only: about 13 s of a 12-minute run on 2 idle cores
# (pytest --durations=0), out of the fast lane (pytest -m "not slow", README).
pytestmark = pytest.mark.slow

# The sign-in steps of the kiosk flow tests, reused as they are.
_spec = importlib.util.spec_from_file_location("kiosk_flow_steps", Path(__file__).with_name("test_kiosk_flows.py"))
steps = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(steps)


@pytest.fixture
def jolie_video(registry, analyzer, faces_dir, person_video):
    """Angelina Jolie enrolled (with the healthy shared analyzer); a video of her walking up."""
    steps.enroll_from_photos(registry, analyzer, faces_dir, ["img1.jpg", "img2.jpg", "img4.jpg"], "Angelina Jolie", "P01")
    return person_video("img6.jpg", "img11.jpg")


def gpu_analyzer(pack, settings) -> FaceAnalyzer:
    return FaceAnalyzer(pack, dataclasses.replace(settings.runtime, providers=["directml", "cpu"]), settings.login)


def assert_signed_in_after_the_faults(registry, faults: int) -> None:
    rows = registry.audit_log()
    errors = [r for r in rows if r.event == "worker_error"]
    assert len(errors) == faults, [r.detail for r in errors]
    assert any(r.event == "identify" and r.decision == "accept" and r.id > errors[0].id for r in rows)
    assert all("Jolie" not in (r.detail or "") and "P01" not in (r.detail or "") for r in errors)


def test_a_recognizer_that_raises_on_its_5th_call(qtbot, registry, pack, settings, jolie_video, make_window):
    """FAULT INJECTION: the recognizer's session raises RuntimeError on its 5th run, once."""
    own = FaceAnalyzer.from_settings(pack, settings)
    loaded = own.embedder.loaded
    failing = FailingSession(loaded.session, fail_on={5})
    own.embedder.loaded = dataclasses.replace(loaded, session=failing)
    window = make_window(jolie_video, analyzer=own)
    faults = []
    on(window.ctx.worker, WorkerFaulted, faults.append)
    for _ in range(3):  # three embeddings per sign-in: the fault comes in the first or the second
        assert steps.sign_in(qtbot, window).kind == ACCEPT
        if faults:
            break
        window.nav.current.done_button.click()
    assert failing.calls == 5  # the failed session was replaced, not called again
    (fault,) = faults
    assert fault.site == FaultSite.ANALYSIS and fault.error_type == "RuntimeError"
    assert (fault.recovery.role, fault.recovery.action, fault.recovery.provider) == ("recognizer", RecoveryAction.REBUILT, CPU)
    assert_signed_in_after_the_faults(registry, faults=1)
    assert registry.audit_log(event="worker_error")[0].detail == "analysis: RuntimeError; recognizer rebuilt on CPUExecutionProvider after 1 failure(s)"


def test_a_detector_that_raises_forever_moves_to_cpu(qtbot, registry, pack, settings, jolie_video, make_window, monkeypatch):
    """FAULT INJECTION: the detector's DirectML session (and every rebuilt one) raises on each run after start-up."""
    detector_sessions = []

    def wrap(path, session):
        if Path(path).name != pack.detector.file:
            return FailingSession(session, fail_on=set(), provider=DIRECTML)
        detector_sessions.append(FailingSession(session, healthy_calls=0 if detector_sessions else 1, provider=DIRECTML))
        return detector_sessions[-1]

    DirectMLStandIn(wrap=wrap).install(monkeypatch)
    own = gpu_analyzer(pack, settings)
    window = make_window(jolie_video, analyzer=own)
    assert steps.sign_in(qtbot, window).kind == ACCEPT
    assert len(detector_sessions) == 1 + REBUILDS_BEFORE_CPU  # built, then rebuilt twice on DirectML; then CPU
    assert own.detector.provider == CPU and own.embedder.provider == DIRECTML
    assert_signed_in_after_the_faults(registry, faults=REBUILDS_BEFORE_CPU + 1)
    assert registry.audit_log(event="worker_error")[0].detail.endswith("detector moved on CPUExecutionProvider after 3 failure(s)")
    report = json.loads((window.ctx.settings.data_dir / REPORT_FILE).read_text())
    assert report["providers"]["detector"] == CPU and report["fallbacks"]["detector"].startswith("moved to CPU after 3 failures")
    home = steps.admin_sign_in(qtbot, window)
    assert home.models_notice.isVisible() and "detector: moved to CPU after 3 failures on DmlExecutionProvider" in home.models_notice.text()


def test_a_provider_whose_session_creation_throws(qtbot, registry, pack, settings, jolie_video, make_window, monkeypatch):
    """FAULT INJECTION: DirectML refuses every session at creation (80070057, as under Wine)."""
    gpu = DirectMLStandIn(refuse=True).install(monkeypatch)
    own = gpu_analyzer(pack, settings)
    assert len(gpu.refused) == 4 and set(own.providers.values()) == {CPU}
    window = make_window(jolie_video, analyzer=own)
    assert steps.sign_in(qtbot, window).kind == ACCEPT
    assert registry.audit_log(event="worker_error") == []  # nothing failed while serving
    report = json.loads((window.ctx.settings.data_dir / REPORT_FILE).read_text())
    assert set(report["fallbacks"]) == {"detector", "recognizer", "liveness"}
    assert all("80070057" in why for why in report["fallbacks"].values())
    home = steps.admin_sign_in(qtbot, window)
    assert home.models_notice.isVisible() and "80070057" in home.models_notice.text()


class WorkerKilled(BaseException):
    """FAULT INJECTION ONLY: not an ``Exception``, so nothing in the worker catches it and its thread ends."""


@pytest.mark.qt_no_exception_capture
def test_a_worker_thread_that_dies_is_replaced(qtbot, registry, jolie_video, make_window):
    """FAULT INJECTION: a job raises a BaseException, which ends the worker's thread."""
    window = make_window(jolie_video)
    steps.wait_screen(qtbot, window, "attract", "login")
    screens = []
    window.nav.changed.connect(screens.append)
    dead = window.ctx.worker

    def die(_analyzer):
        raise WorkerKilled("injected fault")

    answers = []
    window.ctx.jobs.submit(die, answers.append, answers.append)
    qtbot.waitUntil(lambda: window.ctx.worker is not dead, timeout=steps.WAIT_MS)
    assert [str(a) for a in answers] == ["the camera worker was restarted"]  # the screen that asked is not left waiting
    assert steps.sign_in(qtbot, window).kind == ACCEPT
    assert "out_of_order" in screens and screens.index("out_of_order") < screens.index("result")
    assert_signed_in_after_the_faults(registry, faults=1)
    assert registry.audit_log(event="worker_error")[0].detail == "worker: the thread ended; a new worker was started"


def test_a_camera_that_stays_away_is_logged_once_not_at_every_reopen(qtbot, kiosk_settings, caplog):
    """Issue 21: "camera 0 could not be opened" filled the log every few seconds. The worker's
    error signal, as the grabber's back-off sends it for a camera that is not there."""
    import logging

    from kiosk.capture.commands import CameraState, SourceStateChanged, WorkerError
    from kiosk.ui.window import KioskWindow

    window = KioskWindow(kiosk_settings)  # not started: the worker's outputs are sent by hand
    qtbot.addWidget(window)
    message = "camera 0 could not be opened (tried V4L2, ANY)"
    with caplog.at_level(logging.DEBUG, logger="kiosk.app.model"):
        for _ in range(5):
            window.model.handle(WorkerError(message))
            window.model.handle(SourceStateChanged(CameraState.OPENING))
        window.model.handle(SourceStateChanged(CameraState.LIVE))
        window.model.handle(WorkerError(message))  # lost again after it was back: worth a line
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and "could not be opened" in r.getMessage()]
    assert len(warnings) == 2
    assert sum("again" in r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG) == 4
