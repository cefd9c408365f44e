"""The kiosk window: the composition root and the view of the application model.

It builds the ``KioskModel`` (kiosk/app/model.py) and the screens, forwards the camera
worker's signals into ``model.handle`` as the typed ``WorkerOutput`` values they are,
renders the model's events (the current screen, the camera, the models ready) and keeps
the Qt matters: timers, the activity filter, the cursor, full screen and closing.

Start-up order: splash -> the model pack is found (its manifest, on a background
thread) -> the database opens (a missing or wrong key shows the operator screen) ->
the camera worker starts without an analyzer -> first PIN setup on a new database,
else the attract screen, whose sign-in waits -> the models finish loading and warming
on that thread -> the worker gets them and sign-in opens. Showing the attract screen
before the models are warm took their 0.3-0.9 s off the cold start (issue 15).

A fault the worker survived is audited and sends a visitor back to the attract
screen; a worker whose thread ends anyway is replaced (out-of-order meanwhile): the
model's rules, in ``KioskModel.handle``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QMainWindow

from kiosk.app.capture import CaptureDriver
from kiosk.app.events import CameraChanged, ModelEvent, ModelsReady, PeopleChangedElsewhere, PreviewShown, ScreenChanged, ServicesOpened
from kiosk.app.model import KioskModel, Output, load_models
from kiosk.app.screens import PUBLIC_SCREENS, SIGN_OUT_SCREENS
from kiosk.config import Settings
from kiosk.ui.badge_input import BadgeListener
from kiosk.ui.context import AppContext
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
            self.loaded.emit(load_models(settings, self.pack_found.emit))
        except Exception as exc:  # noqa: BLE001 - every failure becomes the operator screen
            self.failed.emit(exc)


class KioskWindow(Retranslating, QMainWindow):
    _marshalled = Signal(object)  # a callable from another thread (fleet sync), run on the GUI thread

    def __init__(self, settings: Settings, *, camera: str | None = None, analyzer: Any = None, clock: Callable[[], float] | None = None) -> None:
        super().__init__()
        app = QApplication.instance()
        if app is None:
            raise RuntimeError("create the QApplication before the kiosk window")
        self.languages = LanguageSwitcher(app)
        self.model = KioskModel(
            settings,
            camera_source=camera or settings.camera.source,
            start_driver=self._start_worker,
            marshal=self._marshalled.emit,
        )
        self._marshalled.connect(self._run_marshalled)
        self.ctx = AppContext(self.model, self.languages)
        if clock is not None:
            self.ctx.clock = clock
        self._preloaded = analyzer
        self.stack = ScreenStack()
        self.setCentralWidget(self.stack)
        self.nav = Navigator(self.stack, self.model)  # connects first: the screen shows before the rest hear of it
        self.model.events.connect(self._model_event)
        self.ctx.set_language = self._visitor_language
        self._visitor_chose_language = False  # the attract screen's switch: for that visitor only
        self.ctx.live.connect(self._ui_settings_changed, ("ui",))
        self.ctx.live.connect(self._events_settings_changed, ("events",))
        self.ctx.restart, self.ctx.exit_kiosk = self.start, self.exit_kiosk
        self.ctx.request_exit = self.request_exit
        self._started = False  # once started, closing the window needs the admin PIN
        self.kiosk_mode = False  # full screen: closing is refused unless it comes from exit_kiosk
        self._exit_allowed = False
        self._cursor_hidden = False
        self._shutting_down = False  # closing now: the close box no longer asks for the PIN
        screens = [cls(self.ctx) for cls in SCREENS]
        for screen in screens:
            self.nav.add(screen)
            self.model.listen_captures(screen.name, screen)  # a capture's outputs reach the screen that started it
        # The two screens the model's news concerns by name, typed for go-to-definition.
        self.attract = next(s for s in screens if isinstance(s, AttractScreen))
        self.people = next(s for s in screens if isinstance(s, PeopleScreen))
        self.badges = BadgeListener(self.model.badge_wanted, parent=self)
        self.badges.swiped.connect(lambda claim: begin_verify(self.ctx, claim))
        self.idle = IdlePolicy(settings.ui.idle_timeout_s, clock=self.ctx.clock)
        self.idle_timer = QTimer(self)
        self.idle_timer.setInterval(1000)
        self.idle_timer.timeout.connect(self.check_idle)
        # The open camera span (kiosk/store/stats.py) is extended once a minute, so a kiosk
        # that stops or crashes loses at most a minute of its camera-availability record.
        self.camera_span_timer = QTimer(self)
        self.camera_span_timer.setInterval(CAMERA_SPAN_MS)
        self.camera_span_timer.timeout.connect(self.model.extend_camera_span)
        self.status_heartbeat = StatusHeartbeat(self)  # kiosk.heartbeat events (kiosk/flows/heartbeat.py)
        # Retention (kiosk/flows/retention.py): a purge when the services open, then daily.
        self.purge_timer = QTimer(self)
        self.purge_timer.setInterval(PURGE_MS)
        self.purge_timer.timeout.connect(self.model.purge)
        self._loader = _Loader(self)
        self._loader.pack_found.connect(self.model.pack_found)
        self._loader.loaded.connect(self.model.models_ready)
        self._loader.failed.connect(self.model.models_failed)
        app.installEventFilter(self)
        app.installEventFilter(self.badges)
        self.set_language(resolve_language(settings.ui.language))
        self.setWindowTitle("Face Kiosk")

    @property
    def camera_source(self) -> str:
        return self.model.camera_source

    # -- start-up --------------------------------------------------------------
    def start(self) -> None:
        self._started = True
        self.model.navigate(ScreenName.SPLASH)
        if self.model.services.analyzer is not None:
            self.model.open_services()
        elif self._preloaded is not None:
            self.model.models_ready(self._preloaded)
        else:
            self._loader.start(self.model.settings)

    def _start_worker(self, analyzer: Any, output: Output) -> CaptureDriver:
        """The Qt camera worker as the model's capture driver: its ``output`` signal carries each ``WorkerOutput``."""
        from kiosk.ui.camera_worker import start_camera_worker

        worker = start_camera_worker(self.model.camera_source, analyzer, self.model.settings)
        worker.signals.output.connect(output)  # on the GUI thread, queued (see WorkerSignals)
        return worker

    @Slot(object)
    def _run_marshalled(self, fn: Callable[[], None]) -> None:
        fn()

    # -- the model's news --------------------------------------------------------
    def _model_event(self, event: ModelEvent) -> None:
        match event:
            case ScreenChanged(name=name):
                self._screen_changed(name)
            case PreviewShown(image=image):
                if (screen := self.nav.current) is not None:
                    screen.on_frame(image)
            case CameraChanged(state=state, out_of_order=out_of_order):
                if not out_of_order and (screen := self.nav.current) is not None:
                    screen.on_source_state(state)
            case ServicesOpened():
                self._start_upkeep()
            case ModelsReady():
                self.attract.models_ready()
            case PeopleChangedElsewhere():
                self._people_changed_elsewhere()

    def _start_upkeep(self) -> None:
        self.idle_timer.start()
        self.camera_span_timer.start()
        self.status_heartbeat.start()
        if not self.purge_timer.isActive():  # the model purged as the services opened; then daily
            self.purge_timer.start()

    def _people_changed_elsewhere(self) -> None:
        """A fleet pull applied changes from another kiosk: an open people list shows them."""
        if self.nav.current_name == ScreenName.PEOPLE:
            self.people.changed_elsewhere()
        elif self.nav.current_name == ScreenName.ATTRACT:
            self.attract.people_changed()

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

    def _events_settings_changed(self, _s: Settings, _changed: frozenset[str]) -> None:
        """The model restarted the sender (it connected first); events.heartbeat_min may have changed."""
        self.status_heartbeat.start()

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

    def _screen_changed(self, name: ScreenName) -> None:
        """The model signs the admin out on these; the visitor's language goes with them."""
        self.idle.touch()
        if name in SIGN_OUT_SCREENS:
            self._kiosk_language_again()

    def check_idle(self) -> None:
        screen = self.nav.current
        if screen is None:
            return
        if not screen.idle_exempt and self.idle.expired():
            log.info("idle on %s: back to the attract screen", screen.name)
            self.model.idle_expired()
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
        self.model.navigate(ScreenName.PIN, mode="exit", return_to=back)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if (self.kiosk_mode or self._started) and not self._exit_allowed and not self._shutting_down:
            event.ignore()  # Alt+F4, the close box: the admin PIN first
            self.request_exit()
            return
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop the timers and the loader, leave the screen, then the model stops the worker and the services."""
        self._shutting_down = True
        self.idle_timer.stop()
        self.camera_span_timer.stop()
        self.status_heartbeat.stop()
        self.purge_timer.stop()
        self._loader.wait()  # the attract screen shows before the models are warm
        current = self.nav.current
        if current is not None:
            current.leave()
        self.model.shutdown()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
            app.removeEventFilter(self.badges)

    def retranslate(self) -> None:
        self.setWindowTitle(tr("Face Kiosk"))
