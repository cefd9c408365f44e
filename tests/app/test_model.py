"""The application model without Qt: the real models, the real SQLCipher registry, a capture driver run by hand.

The driver records what the model asks of it; the captures are real ``CaptureSession``s
over a video made from ../shared/faces photos (scripts/person_video.py, as the UI tests
make them), and their outputs reach ``KioskModel.handle`` as the worker would send them.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kiosk.app.events import CameraChanged, ModelsReady, ScreenChanged, ServicesOpened, SignInDecided
from kiosk.app.model import KioskModel
from kiosk.app.screens import ScreenName
from kiosk.app.services import ServicesNotOpenError
from kiosk.capture.commands import (
    CameraState,
    CaptureEnded,
    CaptureProgress,
    FrameAnalyzed,
    JobFailed,
    JobReturned,
    SourceStateChanged,
    WorkerFinished,
)
from kiosk.capture.session import CaptureSession
from kiosk.capture.sources import VideoSource
from kiosk.config import load_settings
from kiosk.errors import SourceEndedError
from kiosk.flows.signin import ACCEPT, REJECT, ResultView

_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "person_video.py"
_spec = importlib.util.spec_from_file_location("person_video", _SCRIPT)
person_video_tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(person_video_tool)

ADMIN_PIN = "246810"


class HandDriver:
    """A capture driver that only records what the model asked (the test runs the captures)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, ...]] = []
        self.analyzer: Any = None
        self.jobs: dict[str, Callable[[Any], Any]] = {}

    def start_capture(self, profile_name: str, *, unattended: bool = False) -> None:
        self.calls.append(("capture", profile_name, "unattended") if unattended else ("capture", profile_name))

    def cancel_capture(self) -> None:
        self.calls.append(("cancel",))

    def set_source(self, spec: str) -> None:
        self.calls.append(("source", spec))

    def run_job(self, job_id: str, fn: Callable[[Any], Any]) -> None:
        self.jobs[job_id] = fn

    def set_analyzer(self, analyzer: Any) -> None:
        self.analyzer = analyzer

    def stop_and_join(self, timeout_s: float) -> bool:
        self.calls.append(("stop",))
        return True


@pytest.fixture
def app_settings(data_dir, models_dir):
    settings = load_settings(data_dir=data_dir, overrides={"models": str(models_dir)})
    # The person videos are photos fitted into a dark frame: the enclosing-frame cue rightly refuses them.
    settings.login.frame_cue = settings.enroll.frame_cue = False
    return settings


@pytest.fixture
def kiosk(app_settings, analyzer):
    """A started model: the registry open, an admin PIN set, the driver holding the warm analyzer."""
    drivers: list[HandDriver] = []

    def start_driver(analyzer: Any, output: Any) -> HandDriver:
        drivers.append(HandDriver())
        drivers[-1].analyzer = analyzer
        return drivers[-1]

    model = KioskModel(app_settings, camera_source="test", start_driver=start_driver)
    model.drivers = drivers  # the test reads every driver the model started
    events: list[Any] = []
    model.events.connect(events.append)
    model.models_ready(analyzer)
    model.seen = events
    yield model
    model.shutdown()


def enroll(model: KioskModel, analyzer, faces_dir, photos: list[str], name: str, external_id: str) -> None:
    from kiosk.engine.aggregate import aggregate

    obs = [analyzer.embed_image(faces_dir / "deepface" / n) for n in photos]
    model.services.require_registry().enroll(name, external_id, aggregate(obs, min_valid=1, outlier_cosine=0.3))


def run_capture(model: KioskModel, analyzer, settings, video: Path) -> None:
    """What the worker does for the model's running capture: a real session over the video's frames,
    each analyzed frame's report and progress, then the result, all through ``model.handle``."""
    session = CaptureSession(analyzer, settings.login, name="login", match=settings.match)
    source = VideoSource(video)
    source.open()
    try:
        while not session.done:
            try:
                frame = source.read()
            except SourceEndedError:
                break
            report = session.feed(frame)
            if report.analyzed:
                model.handle(FrameAnalyzed(report))
                model.handle(CaptureProgress(*report.progress))
    finally:
        source.close()
    model.handle(CaptureEnded(session.result if session.done else session.end()))


def test_a_whole_sign_in_without_qt(kiosk, analyzer, app_settings, faces_dir, tmp_path):
    """Start-up, the attract screen, a sign-in capture on a real video, the decision and the
    result screen: the model publishes a ResultView naming the enrolled person (ACCEPT)."""
    assert [type(e) for e in kiosk.seen[:2]] == [ModelsReady, ServicesOpened]
    assert kiosk.seen[2] == ScreenChanged(ScreenName.PIN, {"mode": "setup"})  # a new database: the first PIN
    assert kiosk.drivers[0].analyzer is analyzer
    kiosk.services.require_registry().set_admin_pin("admin", ADMIN_PIN)
    enroll(kiosk, analyzer, faces_dir, ["img1.jpg", "img2.jpg", "img4.jpg"], "Angelina Jolie", "P01")
    kiosk.navigate(ScreenName.ATTRACT)
    kiosk.begin_sign_in(None, running=False)  # what the login screen does as it shows
    assert kiosk.drivers[0].calls[-1] == ("capture", "login", "unattended") and kiosk.capture.owner == ScreenName.LOGIN
    video = person_video_tool.make_person_video([faces_dir / "deepface" / "img6.jpg"], tmp_path / "img6.avi", frames=60)

    run_capture(kiosk, analyzer, app_settings, video)

    decided = [e for e in kiosk.seen if isinstance(e, SignInDecided)]
    assert len(decided) == 1
    view = decided[0].view
    assert isinstance(view, ResultView) and (view.kind, view.name) == (ACCEPT, "Angelina Jolie"), view
    assert kiosk.screen == ScreenName.RESULT and kiosk.seen[-1] == ScreenChanged(ScreenName.RESULT, {"view": view})
    assert kiosk.capture.owner is None
    assert kiosk.services.require_registry().audit_log(event="identify")[0].decision == "accept"


def test_a_stranger_is_refused_without_qt(kiosk, analyzer, app_settings, faces_dir, tmp_path):
    kiosk.services.require_registry().set_admin_pin("admin", ADMIN_PIN)
    enroll(kiosk, analyzer, faces_dir, ["img1.jpg", "img2.jpg", "img4.jpg"], "Angelina Jolie", "P01")
    kiosk.begin_sign_in(None, running=False)
    video = person_video_tool.make_person_video([faces_dir / "deepface" / "img3.jpg"], tmp_path / "img3.avi", frames=60)  # deepface P02
    run_capture(kiosk, analyzer, app_settings, video)
    view = next(e.view for e in kiosk.seen if isinstance(e, SignInDecided))
    assert view.kind == REJECT and view.name is None, view


def test_a_verified_badge_punches_attendance_without_qt(kiosk, analyzer, app_settings, faces_dir, tmp_path):
    """Attendance mode, card + face: Jolie's badge (the claim the login screen hands over) and her face
    on a real video. The model decides it 1:1 and records her IN punch as a face alone would: the punch
    row, its audit row and its ``attendance.punch`` event, and the verify answer carries it."""
    from kiosk.events import outbox
    from kiosk.flows.attendance import Direction, PunchStatus
    from kiosk.flows.verify import Method, VerifyKind, VerifyView

    registry = kiosk.services.require_registry()
    registry.set_admin_pin("admin", ADMIN_PIN)
    enroll(kiosk, analyzer, faces_dir, ["img1.jpg", "img2.jpg", "img4.jpg"], "Angelina Jolie", "P01")
    kiosk.settings.login.mode, kiosk.settings.login.purpose = "verify", "attendance"
    kiosk.begin_sign_in("P01", running=False)
    video = person_video_tool.make_person_video([faces_dir / "deepface" / "img6.jpg"], tmp_path / "img6.avi", frames=60)

    run_capture(kiosk, analyzer, app_settings, video)

    view = next(e.view for e in kiosk.seen if isinstance(e, SignInDecided))
    assert isinstance(view, VerifyView) and (view.kind, view.method, view.name) == (VerifyKind.ACCEPT, Method.VERIFY, "Angelina Jolie"), view
    assert (view.punch.status, view.punch.direction) == (PunchStatus.RECORDED, Direction.IN) and view.punch.switchable
    assert kiosk.screen == ScreenName.VERIFY_RESULT and kiosk.seen[-1] == ScreenChanged(ScreenName.VERIFY_RESULT, {"view": view})
    rows = registry.punches_between("2000", "3000")
    assert [(r.external_id, r.punch.direction, r.punch.id) for r in rows] == [("P01", "in", view.punch.punch_id)]
    assert registry.audit_log(event="punch")[0].decision == "in"
    with registry.session() as db:
        sent = [e.document() for e in outbox.events(db.conn, limit=100) if e.type == "attendance.punch"]
    assert [(e["detail"], e["person"]["id"]) for e in sent] == [("in", "P01")]


def test_the_fallback_pin_punches_through_the_model_and_a_wrong_one_does_not(kiosk, analyzer, faces_dir):
    """The fallback PIN pad hands the PIN to the model: a wrong PIN is answered with no punch, the right one
    signs in (``signin.fallback``) and punches, as any accepted sign-in does in attendance mode."""
    from kiosk.flows.attendance import Direction, PunchStatus
    from kiosk.flows.verify import Method, VerifyKind

    registry = kiosk.services.require_registry()
    enroll(kiosk, analyzer, faces_dir, ["img3.jpg"], "Second Person", "1002")
    registry.set_person_pin(registry.find_person("1002").id, "975310")
    kiosk.settings.login.mode, kiosk.settings.login.pin_fallback, kiosk.settings.login.purpose = "verify", True, "attendance"
    kiosk.decide_fallback("1002", "000000")
    wrong = kiosk.seen[-1].args["view"]
    assert (kiosk.screen, wrong.kind, wrong.punch) == (ScreenName.VERIFY_RESULT, VerifyKind.REJECT, None)
    kiosk.decide_fallback("1002", "975310")
    right = kiosk.seen[-1].args["view"]
    assert (right.kind, right.method, right.punch.status, right.punch.direction) == (VerifyKind.ACCEPT, Method.FALLBACK, PunchStatus.RECORDED, Direction.IN)
    assert [e.view for e in kiosk.seen if isinstance(e, SignInDecided)] == [wrong, right]
    assert [r.punch.direction for r in registry.punches_between("2000", "3000")] == ["in"]


class Listener:
    """A capture owner's listener (a screen, under Qt)."""

    def __init__(self) -> None:
        self.heard: list[tuple[str, Any]] = []

    def on_report(self, report: Any) -> None:
        self.heard.append(("report", report))

    def on_progress(self, done: int, total: int) -> None:
        self.heard.append(("progress", (done, total)))

    def on_result(self, result: Any) -> None:
        self.heard.append(("result", result))


def test_outputs_reach_only_the_capture_owner_and_a_released_capture_is_dropped(kiosk):
    attract, enroll_screen = Listener(), Listener()
    kiosk.listen_captures(ScreenName.ATTRACT, attract)
    kiosk.listen_captures(ScreenName.ENROLL, enroll_screen)
    assert kiosk.capture.start(ScreenName.ENROLL, "enroll")
    kiosk.handle(CaptureProgress(1, 5))
    kiosk.handle(CaptureEnded("the result"))
    assert enroll_screen.heard == [("progress", (1, 5)), ("result", "the result")] and attract.heard == []
    assert kiosk.capture.owner is None

    kiosk.capture.start(ScreenName.ATTRACT, "login")
    kiosk.capture.release(ScreenName.ENROLL)  # not its capture: nothing cancelled
    assert kiosk.capture.owns(ScreenName.ATTRACT) and kiosk.drivers[0].calls[-1] == ("capture", "login")
    kiosk.capture.release(ScreenName.ATTRACT)
    assert kiosk.drivers[0].calls[-1] == ("cancel",)
    kiosk.handle(CaptureEnded("sent before the cancel arrived"))  # nobody's: dropped
    assert attract.heard == []


def test_the_admin_guard_and_the_session(kiosk):
    kiosk.services.require_registry().set_admin_pin("admin", ADMIN_PIN)
    assert kiosk.navigate(ScreenName.SETTINGS, tab="camera") == ScreenName.PIN
    assert kiosk.seen[-1] == ScreenChanged(ScreenName.PIN, {})  # the admin screen's arguments are not kept
    kiosk.sign_in_admin()
    assert kiosk.navigate(ScreenName.SETTINGS) == ScreenName.SETTINGS and kiosk.admin_signed_in
    kiosk.navigate(ScreenName.LOOKALIKE)
    assert kiosk.admin_signed_in  # a visitor screen the admin opened keeps the session
    kiosk.navigate(ScreenName.ATTRACT)
    assert not kiosk.admin_signed_in


def test_a_lost_camera_takes_a_visitor_screen_out_of_order_and_an_admin_screen_stays(kiosk):
    kiosk.services.require_registry().set_admin_pin("admin", ADMIN_PIN)
    kiosk.navigate(ScreenName.ATTRACT)
    kiosk.handle(SourceStateChanged(CameraState.LOST))
    assert kiosk.screen == ScreenName.OUT_OF_ORDER and kiosk.seen[-1] == CameraChanged(CameraState.LOST, out_of_order=True)
    kiosk.sign_in_admin()
    kiosk.navigate(ScreenName.SETTINGS)
    kiosk.handle(SourceStateChanged(CameraState.LIVE))
    kiosk.handle(SourceStateChanged(CameraState.ENDED))
    assert kiosk.screen == ScreenName.SETTINGS and kiosk.seen[-1] == CameraChanged(CameraState.ENDED, out_of_order=False)


def test_jobs_answer_once_and_a_replaced_driver_fails_the_jobs_left_with_it(kiosk, analyzer):
    done: list[Any] = []
    failed: list[BaseException] = []
    first = kiosk.jobs.submit(lambda a: a.embedding_size, done.append, failed.append)
    assert first is not None
    kiosk.handle(JobReturned(first, kiosk.drivers[0].jobs[first](analyzer)))
    kiosk.handle(JobReturned(first, "again"))  # answered already: dropped
    assert done == [analyzer.embedding_size]
    second = kiosk.jobs.submit(lambda a: 1 / 0, done.append, failed.append)
    kiosk.handle(JobFailed(second, ZeroDivisionError("division by zero")))
    assert isinstance(failed[-1], ZeroDivisionError)
    kiosk.jobs.submit(lambda a: None, done.append, failed.append)
    kiosk.handle(WorkerFinished())  # its thread ended although nobody stopped it
    assert len(kiosk.drivers) == 2 and kiosk.driver is kiosk.drivers[1]
    assert "restarted" in str(failed[-1])


def test_services_are_typed_once_open_and_closed_in_order(app_settings, analyzer):
    model = KioskModel(app_settings, camera_source="test", start_driver=lambda a, out: HandDriver())
    with pytest.raises(ServicesNotOpenError, match="database is not open") as caught:
        model.services.require_registry()
    assert "wait for the kiosk" in str(caught.value)
    model.models_ready(analyzer)
    registry = model.services.require_registry()
    driver = model.driver
    model.shutdown()
    assert driver.calls[-1] == ("stop",) and model.driver is None
    with pytest.raises(ServicesNotOpenError):
        model.services.require_registry()
    with pytest.raises(Exception, match="closed|not open"):  # the database itself is closed
        registry.has_admin()


def test_which_screens_need_the_admin_is_said_in_one_place():
    """The guard reads ``kiosk.app.screens.ADMIN_SCREENS`` only: a screen class that still said
    ``admin_only = True`` (a branch written before the model) would be shown to anyone."""
    screens = Path(__file__).resolve().parents[2] / "kiosk" / "ui" / "screens"
    stale = [p.name for p in sorted(screens.glob("*.py")) if "admin_only" in p.read_text(encoding="utf-8")]
    assert stale == [], f"put these screens in kiosk.app.screens.ADMIN_SCREENS instead of admin_only: {stale}"


def test_the_emitter_delivers_in_order_and_a_disconnect_removes_one_connection():
    from kiosk.emitter import Emitter

    hub: Emitter[int] = Emitter()
    heard: list[tuple[str, int]] = []
    first = hub.connect(lambda e: heard.append(("a", e)))

    def twice(e: int) -> None:
        heard.append(("b", e))

    hub.connect(twice)
    second_b = hub.connect(twice)  # the same function again: its own connection
    hub.emit(1)
    second_b()
    second_b()  # disconnecting again does nothing
    first()
    hub.emit(2)
    assert heard == [("a", 1), ("b", 1), ("b", 1), ("b", 2)]
