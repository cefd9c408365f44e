"""The kiosk window: builds the screens, loads services, routes camera signals, enforces idle.

Start-up order: splash -> the model pack is found (its manifest, on a background
thread) -> the database opens (a missing or wrong key shows the operator screen) ->
the camera worker starts without an analyzer -> first PIN setup on a new database,
else the attract screen, whose sign-in waits -> the models finish loading and warming
on that thread -> the worker gets them and sign-in opens. Showing the attract screen
before the models are warm took their 0.3-0.9 s off the cold start (issue 15).

A fault the worker survived is audited and sends a visitor back to the attract
screen; a worker whose thread ends anyway is replaced (out-of-order meanwhile).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMainWindow

from kiosk.capture.commands import CameraState, WorkerFault
from kiosk.capture.types import CaptureResult, FrameReport
from kiosk.config import IDENTIFY, Settings
from kiosk.errors import KioskError, ModelPackError, StoreError
from kiosk.ui.badge_input import BadgeListener
from kiosk.ui.context import AppContext, JobRunner
from kiosk.ui.heartbeat import StatusHeartbeat
from kiosk.ui.i18n import LanguageSwitcher, Retranslating, resolve_language, tr
from kiosk.ui.idle import IdlePolicy
from kiosk.ui.navigation import Navigator, ScreenName, ScreenStack
from kiosk.ui.screens.admin_home import AdminHomeScreen
from kiosk.ui.screens.attendance import AttendanceScreen
from kiosk.ui.screens.attract import AttractScreen
from kiosk.ui.screens.audit import AuditScreen
from kiosk.ui.screens.claim import ClaimScreen, begin_verify
from kiosk.ui.screens.fallback_pin import FallbackPinScreen
from kiosk.ui.screens.verify_result import VerifyResultScreen
from kiosk.ui.screens.dashboard import DashboardScreen
from kiosk.ui.screens.enroll import EnrollScreen
from kiosk.ui.screens.login import LoginScreen
from kiosk.ui.screens.lookalike import LookalikeScreen
from kiosk.ui.screens.message import OperatorMessageScreen, OutOfOrderScreen
from kiosk.ui.screens.people import PeopleScreen
from kiosk.ui.screens.pin import PinScreen
from kiosk.ui.screens.result import ResultScreen
from kiosk.ui.screens.settings_screen import SettingsScreen
from kiosk.ui.screens.splash import SplashScreen
from kiosk.ui.screens.teach import TeachScreen

log = logging.getLogger(__name__)

SCREENS = (
    SplashScreen, AttractScreen, LoginScreen, ResultScreen, PinScreen, AdminHomeScreen, EnrollScreen,
    PeopleScreen, SettingsScreen, AuditScreen, LookalikeScreen, OutOfOrderScreen, OperatorMessageScreen,
    DashboardScreen, AttendanceScreen, ClaimScreen, VerifyResultScreen, FallbackPinScreen, TeachScreen,
)
# Screens a lost camera turns into the out-of-order page (admin screens keep working without a camera).
PUBLIC_SCREENS = frozenset({
    ScreenName.ATTRACT, ScreenName.LOGIN, ScreenName.RESULT, ScreenName.LOOKALIKE,
    ScreenName.CLAIM, ScreenName.VERIFY_RESULT, ScreenName.FALLBACK_PIN,
})
# Where a badge swipe starts card + face (login.mode verify or either): the visitor screens
# that are not busy with a capture or a PIN.
BADGE_SCREENS = frozenset({ScreenName.ATTRACT, ScreenName.CLAIM, ScreenName.RESULT, ScreenName.VERIFY_RESULT})
CAMERA_SPAN_MS = 60_000
PURGE_MS = 24 * 3600 * 1000  # the retention purge (kiosk/flows/retention.py) runs daily
ACTIVITY_EVENTS = frozenset({
    QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress, QEvent.Type.Wheel,
})


class _Loader(QObject):
    """Loads the model pack and warms the analyzer off the GUI thread; the splash stays responsive."""

    pack_found = Signal(object)  # the ModelPack: enough to open the database and the gallery
    loaded = Signal(object)  # the warm FaceAnalyzer
    failed = Signal(object)

    _thread: threading.Thread | None = None

    def start(self, settings: Settings) -> None:
        self._thread = threading.Thread(target=self._run, args=(settings,), name="model-loader", daemon=True)
        self._thread.start()

    def wait(self) -> None:
        """Until a load in flight ends: a process that exits while ONNX Runtime builds or warms
        a session aborts (``terminate called without an active exception``)."""
        if self._thread is not None:
            self._thread.join()

    def _run(self, settings: Settings) -> None:
        try:
            from kiosk.engine.analyzer import FaceAnalyzer
            from kiosk.engine.pack import resolve_pack

            pack = resolve_pack(settings)
            self.pack_found.emit(pack)
            self.loaded.emit(FaceAnalyzer.from_settings(pack, settings))
        except Exception as exc:  # noqa: BLE001 - every failure becomes the operator screen
            self.failed.emit(exc)


class KioskWindow(Retranslating, QMainWindow):
    remote_people_changed = Signal()  # emitted on the fleet sync thread, delivered on the GUI thread

    def __init__(self, settings: Settings, *, camera: str | None = None, analyzer: Any = None, clock=None) -> None:
        super().__init__()
        app = QApplication.instance()
        assert app is not None  # kiosk.ui.app creates it before the window
        self.languages = LanguageSwitcher(app)
        self.ctx = AppContext(settings=settings, languages=self.languages, jobs=JobRunner(self))
        if clock is not None:
            self.ctx.clock = clock
        self.camera_source = camera or settings.camera.source
        self._preloaded = analyzer
        self._pack: Any = None  # the ModelPack, known before the analyzer is warm
        self._models_announced = False  # the start-up audit of where the models run: once
        self._fleet: Any = None  # FleetBackground while this kiosk is in a fleet
        self.stack = ScreenStack()
        self.setCentralWidget(self.stack)
        self.nav = Navigator(self.stack)
        self.ctx.nav = self.nav
        self.ctx.set_language = self._visitor_language
        self._visitor_chose_language = False  # the attract screen's switch: for that visitor only
        self.ctx.live.connect(self._ui_settings_changed, ("ui",))
        self.remote_people_changed.connect(self._people_changed_elsewhere)
        self.ctx.live.connect(self._camera_settings_changed, ("camera",))
        self.ctx.live.connect(self._events_settings_changed, ("events",))
        self.ctx.restart, self.ctx.exit_kiosk = self.start, self.exit_kiosk
        self.ctx.request_exit = self.request_exit
        self.ctx.camera_in_use = lambda: self.camera_source
        self._started = False  # once started, closing the window needs the admin PIN
        self._unsubscribe_registry: Callable[[], None] = lambda: None
        self.kiosk_mode = False  # full screen: closing is refused unless it comes from exit_kiosk
        self._exit_allowed = False
        self._cursor_hidden = False
        self._camera_lost = False  # audited once when lost, once when live again
        self._last_worker_error: str | None = None  # logged once, not at every reopen (issue 21)
        self._shutting_down = False  # a worker that finishes now was stopped, not lost
        for cls in SCREENS:
            self.nav.add(cls(self.ctx))
        self.nav.changed.connect(self._screen_changed)
        self.badges = BadgeListener(self._badge_wanted, parent=self)
        self.badges.swiped.connect(lambda claim: begin_verify(self.ctx, claim))
        self.nav.guard = lambda screen: ScreenName.PIN if screen.admin_only and not self.ctx.admin_signed_in else None
        self.idle = IdlePolicy(settings.ui.idle_timeout_s, clock=self.ctx.clock)
        self.idle_timer = QTimer(self)
        self.idle_timer.setInterval(1000)
        self.idle_timer.timeout.connect(self.check_idle)
        # The open camera span (kiosk/store/stats.py) is extended once a minute, so a kiosk
        # that stops or crashes loses at most a minute of its camera-availability record.
        self.camera_span_timer = QTimer(self)
        self.camera_span_timer.setInterval(CAMERA_SPAN_MS)
        self.camera_span_timer.timeout.connect(self._extend_camera_span)
        self.status_heartbeat = StatusHeartbeat(self)  # kiosk.heartbeat events (kiosk/flows/heartbeat.py)
        # Retention (kiosk/flows/retention.py): a purge when the services open, then daily.
        self.purge_timer = QTimer(self)
        self.purge_timer.setInterval(PURGE_MS)
        self.purge_timer.timeout.connect(self.purge)
        self._loader = _Loader(self)
        self._loader.pack_found.connect(self._pack_found)
        self._loader.loaded.connect(self._models_ready)
        self._loader.failed.connect(self._models_failed)
        app.installEventFilter(self)
        app.installEventFilter(self.badges)
        self.set_language(resolve_language(settings.ui.language))
        self.setWindowTitle("Face Kiosk")

    # -- start-up --------------------------------------------------------------
    def start(self) -> None:
        self._started = True
        self.nav.go(ScreenName.SPLASH)
        if self.ctx.analyzer is not None:
            self._open_services()
        elif self._preloaded is not None:
            self._models_ready(self._preloaded)
        else:
            self._loader.start(self.ctx.settings)

    def _pack_found(self, pack: Any) -> None:
        self._pack = pack
        self._open_services()

    def _models_ready(self, analyzer: Any) -> None:
        self.ctx.analyzer = analyzer
        if self._pack is None:  # preloaded (tests): nothing opened yet
            self._pack = analyzer.pack
            self._open_services()
        elif self.ctx.worker is not None:  # else the services failed: the operator screen stays
            self._models_arrived()

    def _models_arrived(self) -> None:
        """The worker runs the captures it kept; the attract screen opens sign-in."""
        worker, registry, analyzer = self.ctx.worker, self.ctx.registry, self.ctx.analyzer
        assert worker is not None and registry is not None and analyzer is not None  # the services opened
        worker.set_analyzer(analyzer)
        if not self._models_announced:
            from kiosk.events import service

            self._models_announced = True
            service.record_start_up(self.ctx.settings, registry, analyzer)
            self._report_providers()
        self.nav.screen_as(ScreenName.ATTRACT, AttractScreen).models_ready()

    def _people_changed_elsewhere(self) -> None:
        """A fleet pull applied changes from another kiosk: an open people list shows them."""
        if self.nav.current_name == ScreenName.PEOPLE:
            self.nav.screen_as(ScreenName.PEOPLE, PeopleScreen).changed_elsewhere()
        elif self.nav.current_name == ScreenName.ATTRACT:
            self.nav.screen_as(ScreenName.ATTRACT, AttractScreen).people_changed()

    def _models_failed(self, exc: BaseException) -> None:
        log.error("models failed to load: %s", exc)
        problem = "models" if isinstance(exc, (ModelPackError, FileNotFoundError)) else "other"
        self.nav.go(ScreenName.OPERATOR, problem=problem, detail=str(exc))

    def _open_services(self) -> None:
        from kiosk.registry import Registry

        if self.ctx.registry is None:
            try:
                self.ctx.registry = Registry.open(self.ctx.settings, self._pack)
                listeners = (
                    self.ctx.live.connect(self._match_settings_changed, ("match",)),
                    self.ctx.live.connect(self._enroll_settings_changed, ("enroll",)),
                    self.ctx.registry.connect_remote_changes(self.remote_people_changed.emit),  # sync thread: queued
                )

                def unsubscribe() -> None:
                    for disconnect in listeners:
                        disconnect()

                self._unsubscribe_registry = unsubscribe
            except StoreError as exc:
                log.error("database: %s", exc)
                self.nav.go(ScreenName.OPERATOR, problem="store", detail=str(exc))
                return
            except KioskError as exc:
                self.nav.go(ScreenName.OPERATOR, problem="other", detail=str(exc))
                return
        self.ctx.gallery = self._open_gallery()
        if self.ctx.events is None:
            self._start_events()
        self._start_fleet()
        if self.ctx.worker is None:
            self._start_worker()
        if self.ctx.analyzer is not None:
            self._models_arrived()
        self.idle_timer.start()
        self.camera_span_timer.start()
        self.status_heartbeat.start()
        if not self.purge_timer.isActive():
            self.purge()
            self.purge_timer.start()
        if not self.ctx.registry.has_admin():
            self.nav.go(ScreenName.PIN, mode="setup")
        else:
            self.nav.go(ScreenName.ATTRACT)

    def _start_events(self) -> None:
        from kiosk.events import service

        assert self.ctx.registry is not None  # started once the services opened
        self.ctx.events = service.start(self.ctx.settings, self.ctx.registry)

    def _stop_events(self) -> None:
        from kiosk.events import service

        service.stop(self.ctx.events)
        self.ctx.events = None

    def _start_fleet(self) -> None:
        """Fleet sync in the background when this kiosk joined one; a problem is logged and
        the kiosk runs on its local database either way (sync errors show on the admin screen)."""
        from kiosk.fleet.background import FleetBackground

        if self._fleet is None and self.ctx.registry is not None:
            try:
                self._fleet = FleetBackground.start_if_joined(self.ctx.registry, self.ctx.settings.data_dir)
            except KioskError as exc:
                log.error("fleet sync not started: %s", exc)

    def _open_gallery(self) -> Any:
        """The actor gallery, or None (no gallery, or one built with another model pack)."""
        from kiosk.gallery import ActorGallery

        try:
            if ActorGallery.exists(self.ctx.settings.data_dir):
                gallery = ActorGallery.open(self.ctx.settings.data_dir, self._pack)
                gallery.check_pack()
                return gallery
        except KioskError as exc:
            log.warning("actor gallery unavailable: %s", exc)
        return None

    def _start_worker(self) -> None:
        from kiosk.ui.camera_worker import start_camera_worker

        worker = start_camera_worker(self.camera_source, self.ctx.analyzer, self.ctx.settings)
        self.ctx.worker = worker
        # The worker's signals live on the GUI thread, so these run there, queued (see WorkerSignals).
        worker.signals.frame_ready.connect(self._frame)
        worker.signals.frame_report.connect(self._report)
        worker.signals.progress.connect(self._progress)
        worker.signals.result.connect(self._result)
        worker.signals.source_state.connect(self._source_state)
        worker.signals.error.connect(self._worker_error)
        worker.signals.fault.connect(self._worker_fault)
        worker.signals.finished.connect(self._worker_finished)
        self.ctx.jobs.attach(worker)

    def _report_providers(self) -> None:
        """Where each model runs, for ``kiosk doctor`` (another process) to show the operator."""
        from kiosk.engine.runtime_report import RuntimeReport, write_report

        try:
            if self.ctx.analyzer is not None:
                write_report(self.ctx.settings.data_dir, RuntimeReport.of(self.ctx.analyzer))
        except OSError as exc:
            log.warning("cannot write the model provider report: %s", exc)

    # The worker's signals reach the screen on show through ``Screen``'s typed ``on_*`` methods
    # (each a no-op there), called directly: go-to-definition follows a sign-in from here.
    @Slot(QImage)
    def _frame(self, image: QImage) -> None:
        if (screen := self.nav.current) is not None:
            screen.on_frame(image)

    @Slot(object)
    def _report(self, report: FrameReport) -> None:
        if (screen := self.nav.current) is not None:
            screen.on_report(report)

    @Slot(int, int)
    def _progress(self, done: int, total: int) -> None:
        if (screen := self.nav.current) is not None:
            screen.on_progress(done, total)

    @Slot(object)
    def _result(self, result: CaptureResult) -> None:
        if (screen := self.nav.current) is not None:
            screen.on_result(result)

    @Slot(str)
    def _worker_error(self, message: str) -> None:
        """A camera that stays away fails every reopen (every 5 s at most): the log says it once,
        and again when the message changes or after the camera was back."""
        if message == self._last_worker_error:
            log.debug("camera worker (again): %s", message)
            return
        self._last_worker_error = message
        log.warning("camera worker: %s", message)

    @Slot(object)
    def _worker_fault(self, fault: WorkerFault) -> None:
        """The worker caught and survived it: record it (names only) and give the visitor a fresh start."""
        self.ctx.audit("worker_error", fault.audit_detail())
        if fault.recovery is not None:
            self._report_providers()
        if self.nav.current_name in PUBLIC_SCREENS - {ScreenName.ATTRACT}:
            self.nav.go(ScreenName.ATTRACT)

    @Slot()
    def _worker_finished(self) -> None:
        """The worker's thread ended although nobody stopped it: out of order until a new one is live."""
        if self._shutting_down:
            return
        log.error("the camera worker ended unexpectedly; starting a new one")
        self.ctx.audit("worker_error", "worker: the thread ended; a new worker was started")
        if self.nav.current_name in PUBLIC_SCREENS:
            self.nav.go(ScreenName.OUT_OF_ORDER)
        self._start_worker()

    @Slot(object)
    def _source_state(self, state: CameraState) -> None:
        log.info("camera %s", state)
        self.status_heartbeat.camera = str(state)
        if state == CameraState.LIVE:
            self._last_worker_error = None
        if self.ctx.registry is not None:
            self.ctx.registry.note_camera(state == CameraState.LIVE)
        if self.ctx.registry is not None and (state == CameraState.LOST and not self._camera_lost or state == CameraState.LIVE and self._camera_lost):
            self._camera_lost = state == CameraState.LOST
            self.ctx.registry.record_event("camera_lost" if self._camera_lost else "camera_back", detail=f"camera {self.camera_source}")
        if state in (CameraState.LOST, CameraState.ENDED) and self.nav.current_name in PUBLIC_SCREENS:
            self.nav.go(ScreenName.OUT_OF_ORDER)
            return
        if (screen := self.nav.current) is not None:
            screen.on_source_state(state)

    def purge(self) -> None:
        """Rows past their retention go (audited with the counts); a failure is logged, and the next day tries again."""
        from kiosk.flows import retention

        if self.ctx.registry is None:
            return
        try:
            counts = retention.purge(self.ctx.registry, self.ctx.settings)
        except KioskError as exc:
            log.error("retention purge failed: %s", exc)
            return
        if counts.total:
            log.info("retention purge: %s", counts.detail())

    def _extend_camera_span(self) -> None:
        if self.ctx.registry is not None:
            self.ctx.registry.note_camera()

    # -- language, settings, idle ----------------------------------------------
    def set_language(self, lang: str) -> None:
        self.languages.set_language(lang)
        QApplication.processEvents()

    def _visitor_language(self, lang: str) -> None:
        self._visitor_chose_language = True
        self.set_language(lang)

    def _kiosk_language_again(self) -> None:
        """A visitor's language is theirs only: the next visitor (the attract screen again, or the
        idle timeout on it) and the admin's timeout get the kiosk's language back (issue 21)."""
        if self._visitor_chose_language:
            self._visitor_chose_language = False
            self.set_language(resolve_language(self.ctx.settings.ui.language))

    def _ui_settings_changed(self, s: Settings, _changed: frozenset[str]) -> None:
        self.idle.timeout_s = float(s.ui.idle_timeout_s)
        self.set_language(resolve_language(s.ui.language))
        self.apply_cursor()

    def _match_settings_changed(self, s: Settings, _changed: frozenset[str]) -> None:
        if self.ctx.registry is not None:
            self.ctx.registry.apply_match_settings(s.match)

    def _enroll_settings_changed(self, s: Settings, _changed: frozenset[str]) -> None:
        if self.ctx.registry is not None:
            self.ctx.registry.apply_enroll_settings(s.enroll)

    def _events_settings_changed(self, s: Settings, _changed: frozenset[str]) -> None:
        """New sinks: the sender restarts on them (its cursors, in the database, carry over)."""
        if self.ctx.events is not None:
            self._stop_events()
            self._start_events()
        self.status_heartbeat.start()  # events.heartbeat_min may have changed

    def _camera_settings_changed(self, s: Settings, _changed: frozenset[str]) -> None:
        if s.camera.source != self.camera_source and self.ctx.worker is not None:
            self.camera_source = s.camera.source
            self.ctx.worker.set_source(s.camera.source)

    def apply_cursor(self) -> None:
        """Hide the pointer over every widget (an override: text fields set their own cursor otherwise)."""
        want = self.ctx.settings.ui.hide_cursor
        if want and not self._cursor_hidden:
            QApplication.setOverrideCursor(Qt.CursorShape.BlankCursor)
        elif self._cursor_hidden and not want:
            QApplication.restoreOverrideCursor()
        self._cursor_hidden = want

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in ACTIVITY_EVENTS:
            self.idle.touch()
        return False

    def _badge_wanted(self) -> bool:
        """A swipe starts card + face in verify or either mode, on a visitor screen at rest,
        once the models are warm and the database is open."""
        ready = self.ctx.analyzer is not None and self.ctx.registry is not None
        if not ready or self.ctx.settings.login.mode == IDENTIFY:
            return False
        # In ``either`` a swipe during a face-alone capture switches it to card + face (a new capture).
        identifying = self.nav.current_name == ScreenName.LOGIN and getattr(self.nav.current, "claim", "") is None
        return identifying or self.nav.current_name in BADGE_SCREENS

    def _screen_changed(self, name: str) -> None:
        self.idle.touch()
        if name in (ScreenName.ATTRACT, ScreenName.OUT_OF_ORDER):
            self.ctx.sign_out()
            self._kiosk_language_again()

    def check_idle(self) -> None:
        screen = self.nav.current
        if screen is None:
            return
        if not screen.idle_exempt and self.idle.expired():
            log.info("idle on %s: back to the attract screen", screen.name)
            self.ctx.sign_out()
            self.nav.go(ScreenName.ATTRACT)
        elif screen.name == ScreenName.ATTRACT and self.idle.expired():  # the visitor walked away
            self._kiosk_language_again()

    # -- shutdown --------------------------------------------------------------
    def exit_kiosk(self) -> None:
        """Close now: only after the PIN screen's answer (or ``--quit-after``)."""
        self._exit_allowed = True
        self.close()

    def request_exit(self) -> None:
        """Every way out (the screens' buttons, Alt+F4, the window's close box) asks for the admin
        PIN, or a confirmation when the admin is signed in; Cancel returns to the screen it came from."""
        current = self.nav.current
        if current is not None and current.name == ScreenName.PIN and getattr(current, "mode", "") == "exit":
            return
        back: tuple[ScreenName, dict[str, Any]] = (ScreenName.ATTRACT, {})  # a visitor's screen starts over
        if current is not None and current.name not in PUBLIC_SCREENS:
            back = (current.name, dict(getattr(current, "entered_with", {})))
        self.nav.go(ScreenName.PIN, mode="exit", return_to=back)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if (self.kiosk_mode or self._started) and not self._exit_allowed and not self._shutting_down:
            event.ignore()  # Alt+F4, the close box: the admin PIN first
            self.request_exit()
            return
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop the worker by flag and wait (never terminate), then close the database."""
        self._shutting_down = True
        self.idle_timer.stop()
        self.camera_span_timer.stop()
        self.status_heartbeat.stop()
        self.purge_timer.stop()
        self._loader.wait()  # the attract screen shows before the models are warm
        current = self.nav.current
        if current is not None:
            current.leave()
        if self.ctx.worker is not None:
            from kiosk.ui.camera_worker import stop_camera_worker

            if not stop_camera_worker(self.ctx.worker):
                log.warning("camera worker did not stop in time")
            self.ctx.worker = None
        self._stop_events()
        if self._fleet is not None:
            self._fleet.stop()
            self._fleet = None
        if self.ctx.registry is not None:
            self._unsubscribe_registry()
            self.ctx.registry.note_camera()  # the span ends now, not at the last heartbeat
            self.ctx.registry.close()
            self.ctx.registry = None
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
            app.removeEventFilter(self.badges)

    def retranslate(self) -> None:
        self.setWindowTitle(tr("Face Kiosk"))
