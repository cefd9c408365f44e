"""``KioskModel``: one running kiosk without Qt, the state the window and the screens render.

It owns the services and their start and stop order (``Services``), the admin session,
the current screen (``navigate`` applies the admin guard and publishes ``ScreenChanged``),
the camera's state and availability spans, the one capture owner, and the routing of the
capture driver's outputs (``handle``: one ``match`` over ``WorkerOutput``). A sign-in is
decided here: the login capture's ``CaptureEnded`` runs ``flows.signin`` (or ``flows.verify``
for a claimed id; card + face's fallback PIN comes through ``decide_fallback``), then
``flows.attendance`` for the punch, and publishes ``SignInDecided`` before showing the result screen.

Every method runs on one thread, the model's (the GUI thread under Qt); news from
other threads (fleet sync) comes through ``marshal``, and the driver's outputs are
delivered on the model's thread by whoever hosts the driver.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk.app.capture import CaptureDriver, CaptureListener, CaptureOwner
from kiosk.emitter import Emitter
from kiosk.app.events import (
    CameraChanged,
    ModelEvent,
    ModelsReady,
    PeopleChangedElsewhere,
    PreviewShown,
    ScreenChanged,
    ServicesOpened,
    SignInDecided,
)
from kiosk.app.jobs import Jobs
from kiosk.app.screens import BADGE_SCREENS, PUBLIC_SCREENS, SIGN_OUT_SCREENS, ScreenName, guard
from kiosk.app.services import Services, ServicesNotOpenError
from kiosk.capture.commands import (
    CameraState,
    CaptureEnded,
    CaptureProgress,
    FrameAnalyzed,
    JobFailed,
    JobReturned,
    PreviewFrame,
    SourceStateChanged,
    WorkerError,
    WorkerFault,
    WorkerFaulted,
    WorkerFinished,
    WorkerOutput,
    WorkerStarted,
)
from kiosk.config import IDENTIFY, Settings
from kiosk.errors import KioskError, ModelPackError, StoreError
from kiosk.flows.live_settings import LiveSettings

if TYPE_CHECKING:
    from kiosk.capture.types import CaptureResult
    from kiosk.engine.analyzer import FaceAnalyzer
    from kiosk.engine.pack import ModelPack
    from kiosk.flows.verify import VerifyView
    from kiosk.gallery import ActorGallery
    from kiosk.registry import Registry

log = logging.getLogger(__name__)

STOP_WAIT_S = 5.0  # the worker finishes the frame in hand; a model run is well under this

Output = Callable[[WorkerOutput], None]
# Starts a capture driver with the analyzer (None until the models are warm) whose outputs go to ``output``.
DriverFactory = Callable[[Any, Output], CaptureDriver]


def load_models(settings: Settings, on_pack: Callable[[ModelPack], None]) -> FaceAnalyzer:
    """Find the model pack (``on_pack`` hears of it: enough to open the database), then build and
    warm the analyzer. It touches no model state, so any thread may run it (the window's loader does)."""
    from kiosk.engine.analyzer import FaceAnalyzer
    from kiosk.engine.pack import resolve_pack

    pack = resolve_pack(settings)
    on_pack(pack)
    return FaceAnalyzer.from_settings(pack, settings)


class KioskModel:
    def __init__(
        self,
        settings: Settings,
        *,
        camera_source: str,
        start_driver: DriverFactory,
        marshal: Callable[[Callable[[], None]], None] = lambda fn: fn(),
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        """``marshal(fn)`` runs ``fn`` on the model's thread (fleet sync calls from its own);
        ``wall_clock``: lockouts of claimed ids outlive a restart (kiosk/store/attempts.py)."""
        self.settings = settings
        self.live = LiveSettings(settings)  # saved settings are applied here; consumers subscribe
        self.services = Services()
        self.events: Emitter[ModelEvent] = Emitter()
        self.driver: CaptureDriver | None = None
        self.capture = CaptureOwner(lambda: self.driver)
        self.jobs = Jobs(lambda: self.driver)
        self.camera_source = camera_source  # ``kiosk run --camera`` may differ from the saved setting
        self.camera_state: CameraState | None = None
        self.screen: ScreenName | None = None
        self.admin_signed_in = False
        self.sign_in_claim: str | None = None  # card + face: the id the running sign-in checks against
        self.wall_clock = wall_clock
        self._start_driver, self._marshal = start_driver, marshal
        self._pack: ModelPack | None = None  # known before the analyzer is warm
        self._registry_listeners: list[Callable[[], None]] = []
        self._camera_lost = False  # audited once when lost, once when live again
        self._last_worker_error: str | None = None  # logged once, not at every reopen (issue 21)
        self._models_announced = False  # the start-up audit of where the models run: once
        self._purged = False  # the retention purge runs when the services first open (then daily, timed by the host)
        self._shutting_down = False  # a driver that finishes now was stopped, not lost
        self.live.connect(self._camera_settings_changed, ("camera",))
        self.live.connect(self._events_settings_changed, ("events",))

    # -- navigation and the admin session ----------------------------------------------
    def navigate(self, name: ScreenName, **args: Any) -> ScreenName:
        """Show ``name`` (the PIN pad instead for an admin screen while signed out); returns what shows."""
        target = guard(name, self.admin_signed_in)
        if target != name:
            args = {}
        self.screen = target
        log.info("screen %s", target)  # with -v, the path a smoke run took (scripts/windows_smoke.sh)
        self.events.emit(ScreenChanged(target, args))
        if target in SIGN_OUT_SCREENS:
            self.sign_out()
        return target

    def sign_in_admin(self) -> None:
        self.admin_signed_in = True

    def sign_out(self) -> None:
        self.admin_signed_in = False

    def idle_expired(self) -> None:
        """Nobody touched a screen that waits for a touch: the admin is signed out first (the screen
        left may ask), and the next visitor starts at the attract screen."""
        self.sign_out()
        self.navigate(ScreenName.ATTRACT)

    def badge_wanted(self) -> bool:
        """A swipe starts card + face in verify or either mode, on a visitor screen at rest,
        once the models are warm and the database is open."""
        ready = self.services.analyzer is not None and self.services.registry is not None
        if not ready or self.settings.login.mode == IDENTIFY:
            return False
        # In ``either`` a swipe during a face-alone capture switches it to card + face (a new capture).
        identifying = self.screen == ScreenName.LOGIN and self.sign_in_claim is None
        return identifying or self.screen in BADGE_SCREENS

    # -- start-up --------------------------------------------------------------------------
    def pack_found(self, pack: ModelPack) -> None:
        self._pack = pack
        self.open_services()

    def models_ready(self, analyzer: FaceAnalyzer) -> None:
        self.services.analyzer = analyzer
        if self._pack is None:  # preloaded (tests): nothing opened yet
            self._pack = analyzer.pack
            self.open_services()
        elif self.driver is not None:  # else the services failed: the operator screen stays
            self._models_arrived()

    def models_failed(self, exc: BaseException) -> None:
        log.error("models failed to load: %s", exc)
        problem = "models" if isinstance(exc, (ModelPackError, FileNotFoundError)) else "other"
        self.navigate(ScreenName.OPERATOR, problem=problem, detail=str(exc))

    def open_services(self) -> bool:
        """In start order: database, gallery, event sender, fleet sync, capture driver; then the
        first screen. False (the operator screen shows why) when the database cannot open."""
        services = self.services
        if services.registry is None:
            try:
                services.registry = self._open_registry()
            except StoreError as exc:
                log.error("database: %s", exc)
                self.navigate(ScreenName.OPERATOR, problem="store", detail=str(exc))
                return False
            except KioskError as exc:
                self.navigate(ScreenName.OPERATOR, problem="other", detail=str(exc))
                return False
        services.gallery = self._open_gallery()
        if services.events is None:
            self._start_events()
        self._start_fleet()
        if self.driver is None:
            self.start_driver()
        if services.analyzer is not None:
            self._models_arrived()
        if not self._purged:
            self._purged = True
            self.purge()
        self.events.emit(ServicesOpened())
        if not services.require_registry().has_admin():
            self.navigate(ScreenName.PIN, mode="setup")
        else:
            self.navigate(ScreenName.ATTRACT)
        return True

    def _require_pack(self) -> ModelPack:
        """The pack the loader found; the services open only after it did."""
        if self._pack is None:
            raise ServicesNotOpenError("the model pack is not known yet", hint="wait for the kiosk to finish starting")
        return self._pack

    def _open_registry(self) -> Registry:
        from kiosk.registry import Registry

        registry = Registry.open(self.settings, self._require_pack())

        def enroll_changed(s: Settings, _changed: frozenset[str]) -> None:
            registry.apply_enroll_settings(s.enroll)  # its count of re-scored people is for the CLI

        self._registry_listeners = [
            self.live.connect(lambda s, _c: registry.apply_match_settings(s.match), ("match",)),
            self.live.connect(enroll_changed, ("enroll",)),
            registry.connect_remote_changes(lambda: self._marshal(self._people_changed_elsewhere)),  # the sync thread
        ]
        return registry

    def _open_gallery(self) -> ActorGallery | None:
        """The actor gallery, or None (no gallery, or one built with another model pack)."""
        from kiosk.gallery import ActorGallery

        try:
            if ActorGallery.exists(self.settings.data_dir):
                gallery = ActorGallery.open(self.settings.data_dir, self._require_pack())
                gallery.check_pack()
                return gallery
        except KioskError as exc:
            log.warning("actor gallery unavailable: %s", exc)
        return None

    def _start_events(self) -> None:
        from kiosk.events import service

        self.services.events = service.start(self.settings, self.services.require_registry())

    def _start_fleet(self) -> None:
        """Fleet sync in the background when this kiosk joined one; a problem is logged and
        the kiosk runs on its local database either way (sync errors show on the admin screen)."""
        from kiosk.fleet.background import FleetBackground

        if self.services.fleet is None:
            try:
                self.services.fleet = FleetBackground.start_if_joined(self.services.require_registry(), self.settings.data_dir)
            except KioskError as exc:
                log.error("fleet sync not started: %s", exc)

    def start_driver(self) -> None:
        """A new capture driver; jobs left with an earlier one fail, so no screen waits forever."""
        self.jobs.orphan()
        self.driver = self._start_driver(self.services.analyzer, self.handle)

    def _models_arrived(self) -> None:
        """The driver runs the captures it kept; sign-in opens."""
        analyzer = self.services.require_analyzer()
        if self.driver is not None:
            self.driver.set_analyzer(analyzer)
        if not self._models_announced:
            from kiosk.events import service

            self._models_announced = True
            service.record_start_up(self.settings, self.services.require_registry(), analyzer)
            self.report_providers()
        self.events.emit(ModelsReady())

    def report_providers(self) -> None:
        """Where each model runs, for ``kiosk doctor`` (another process) to show the operator."""
        from kiosk.engine.runtime_report import RuntimeReport, write_report

        try:
            write_report(self.settings.data_dir, RuntimeReport.of(self.services.require_analyzer()))
        except OSError as exc:
            log.warning("cannot write the model provider report: %s", exc)

    def _people_changed_elsewhere(self) -> None:
        self.events.emit(PeopleChangedElsewhere())

    # -- captures ------------------------------------------------------------------------------
    def listen_captures(self, owner: ScreenName, listener: CaptureListener) -> Callable[[], None]:
        """``listener`` hears the reports, progress and results of the captures ``owner`` starts."""
        return self.capture.listen(owner, listener)

    def begin_sign_in(self, claim: str | None, *, running: bool) -> None:
        """The login screen shows: ``running``, the attract screen handed over a capture it started;
        ``claim``, card + face (the face is then checked 1:1 against that id)."""
        self.sign_in_claim = claim
        if not running:
            self.capture.start(ScreenName.LOGIN, "login", unattended=True)

    def handle(self, output: WorkerOutput) -> None:
        """Route one of the capture driver's outputs (on the model's thread)."""
        match output:
            case PreviewFrame(image=image):
                self.events.emit(PreviewShown(image))
            case FrameAnalyzed(report=report):
                if (listener := self._owner_listener()) is not None:
                    listener.on_report(report)
            case CaptureProgress(done=done, needed=needed):
                if (listener := self._owner_listener()) is not None:
                    listener.on_progress(done, needed)
            case CaptureEnded(result=result):
                self._capture_ended(result)
            case JobReturned(job_id=job_id, value=value):
                self.jobs.returned(job_id, value)
            case JobFailed(job_id=job_id, error=error):
                self.jobs.failed(job_id, error)
            case SourceStateChanged(state=state):
                self._source_state(state)
            case WorkerError(message=message):
                self._worker_error(message)
            case WorkerFaulted(fault=fault):
                self._worker_fault(fault)
            case WorkerFinished():
                self._worker_finished()
            case WorkerStarted():
                pass

    def _owner_listener(self) -> CaptureListener | None:
        owner = self.capture.owner
        return None if owner is None else self.capture.listener(owner)

    def _capture_ended(self, result: CaptureResult) -> None:
        owner = self.capture.end()
        if owner == ScreenName.LOGIN:
            self._decide_sign_in(result)
        elif owner is not None and (listener := self.capture.listener(owner)) is not None:
            listener.on_result(result)

    def _decide_sign_in(self, result: CaptureResult) -> None:
        """What ``kiosk.flows.signin`` (or ``flows.verify`` for a claimed id) makes of the capture,
        with attendance mode's punch for an accept alike for both (``flows.attendance``); the result screen shows it."""
        from kiosk.flows.attendance import after_sign_in
        from kiosk.flows.signin import sign_in
        from kiosk.flows.verify import verify_sign_in

        registry = self.services.require_registry()
        login = self.settings.login
        if self.sign_in_claim is not None:
            verified = verify_sign_in(registry, self.sign_in_claim, result, now=self.wall_clock(), pin_fallback=login.pin_fallback)
            self._show_verified(after_sign_in(registry, verified, login))
            return
        view = after_sign_in(registry, sign_in(registry, result), login)
        self.events.emit(SignInDecided(view))
        self.navigate(ScreenName.RESULT, view=view)

    def decide_fallback(self, claim: str, pin: str) -> None:
        """Card + face's fallback: the person's own PIN (``flows.verify.pin_sign_in``), punched in
        attendance mode as an accepted face is; the verify result screen shows it."""
        from kiosk.flows.attendance import after_sign_in
        from kiosk.flows.verify import pin_sign_in

        registry = self.services.require_registry()
        view = pin_sign_in(registry, claim, pin, now=self.wall_clock())
        self._show_verified(after_sign_in(registry, view, self.settings.login))

    def _show_verified(self, view: VerifyView) -> None:
        self.events.emit(SignInDecided(view))
        self.navigate(ScreenName.VERIFY_RESULT, view=view)

    # -- the camera --------------------------------------------------------------------------
    def _source_state(self, state: CameraState) -> None:
        log.info("camera %s", state)
        self.camera_state = state
        if state == CameraState.LIVE:
            self._last_worker_error = None
        registry = self.services.registry
        if registry is not None:
            registry.note_camera(state == CameraState.LIVE)
            if state == CameraState.LOST and not self._camera_lost or state == CameraState.LIVE and self._camera_lost:
                self._camera_lost = state == CameraState.LOST
                registry.record_event("camera_lost" if self._camera_lost else "camera_back", detail=f"camera {self.camera_source}")
        out_of_order = state in (CameraState.LOST, CameraState.ENDED) and self.screen in PUBLIC_SCREENS
        if out_of_order:
            self.navigate(ScreenName.OUT_OF_ORDER)
        self.events.emit(CameraChanged(state, out_of_order))

    def extend_camera_span(self) -> None:
        """The open camera span (kiosk/store/stats.py) grows; the host calls this once a minute,
        so a kiosk that stops or crashes loses at most a minute of its availability record."""
        if self.services.registry is not None:
            self.services.registry.note_camera()

    def _worker_error(self, message: str) -> None:
        """A camera that stays away fails every reopen (every 5 s at most): the log says it once,
        and again when the message changes or after the camera was back."""
        if message == self._last_worker_error:
            log.debug("camera worker (again): %s", message)
            return
        self._last_worker_error = message
        log.warning("camera worker: %s", message)

    def _worker_fault(self, fault: WorkerFault) -> None:
        """The driver caught and survived it: record it (names only) and give the visitor a fresh start."""
        self.audit("worker_error", fault.audit_detail())
        if fault.recovery is not None:
            self.report_providers()
        if self.screen in PUBLIC_SCREENS - {ScreenName.ATTRACT}:
            self.navigate(ScreenName.ATTRACT)

    def _worker_finished(self) -> None:
        """The driver's thread ended although nobody stopped it: out of order until a new one is live."""
        if self._shutting_down:
            return
        log.error("the camera worker ended unexpectedly; starting a new one")
        self.audit("worker_error", "worker: the thread ended; a new worker was started")
        if self.screen in PUBLIC_SCREENS:
            self.navigate(ScreenName.OUT_OF_ORDER)
        self.start_driver()

    # -- settings, upkeep -----------------------------------------------------------------------
    def _camera_settings_changed(self, s: Settings, _changed: frozenset[str]) -> None:
        if s.camera.source != self.camera_source and self.driver is not None:
            self.camera_source = s.camera.source
            self.driver.set_source(s.camera.source)

    def _events_settings_changed(self, _s: Settings, _changed: frozenset[str]) -> None:
        """New sinks: the sender restarts on them (its cursors, in the database, carry over)."""
        if self.services.events is not None:
            from kiosk.events import service

            service.stop(self.services.events)
            self.services.events = None
            self._start_events()

    def purge(self) -> None:
        """Rows past their retention go (audited with the counts); a failure is logged, and the next day tries again."""
        from kiosk.flows import retention

        if self.services.registry is None:
            return
        try:
            counts = retention.purge(self.services.registry, self.settings)
        except KioskError as exc:
            log.error("retention purge failed: %s", exc)
            return
        if counts.total:
            log.info("retention purge: %s", counts.detail())

    def audit(self, event: str, detail: str | None = None) -> None:
        """Record an admin action; a failing audit write is logged, never shown as a crash."""
        if self.services.registry is None:
            return
        try:
            self.services.registry.audit(event, detail=detail)
        except KioskError as exc:
            log.error("audit %s failed: %s", event, exc)

    # -- shutdown ----------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop the driver (it finishes its frame; never killed), then the services in stop order."""
        self._shutting_down = True
        if self.driver is not None:
            if not self.driver.stop_and_join(STOP_WAIT_S):
                log.warning("capture worker did not stop within %.0f s", STOP_WAIT_S)
            self.driver = None
        for disconnect in self._registry_listeners:
            disconnect()
        self._registry_listeners = []
        self.services.stop()
