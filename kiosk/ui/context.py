"""What every screen can reach: the application model (``ctx.model``) and the Qt matters around it.

The kiosk's state and rules live in ``kiosk.app.model.KioskModel``; this context is the
screens' short way to it (``ctx.registry`` is ``ctx.model.services.registry``) plus what only
the window can do (language, restart, exit).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk.app.model import KioskModel
from kiosk.ui.i18n import LanguageSwitcher

if TYPE_CHECKING:
    from kiosk.app.capture import CaptureDriver, CaptureOwner
    from kiosk.app.jobs import Jobs
    from kiosk.app.screens import ScreenName
    from kiosk.config import Settings
    from kiosk.engine.analyzer import FaceAnalyzer
    from kiosk.events.sender import Sender
    from kiosk.flows.live_settings import LiveSettings
    from kiosk.gallery import ActorGallery
    from kiosk.registry import Registry


class AppContext:
    """Shared state of one running kiosk: the model's, reached by the names screens always used."""

    def __init__(self, model: KioskModel, languages: LanguageSwitcher) -> None:
        self.model = model
        self.languages = languages
        self.clock: Callable[[], float] = time.monotonic
        # What screens ask of the window (set by it): switch language, retry start-up, and
        # leave kiosk mode (the only way out of a full-screen kiosk).
        self.set_language: Callable[[str], None] = lambda lang: None
        self.restart: Callable[[], None] = lambda: None
        self.exit_kiosk: Callable[[], None] = lambda: None
        # Asks for the admin PIN (or, signed in, a confirmation) and then exits: what screens call.
        self.request_exit: Callable[[], None] = lambda: None

    @property
    def settings(self) -> Settings:
        return self.model.settings

    @property
    def live(self) -> LiveSettings:
        return self.model.live

    @property
    def jobs(self) -> Jobs:
        return self.model.jobs

    @property
    def capture(self) -> CaptureOwner:
        return self.model.capture

    # The services: None until the model opened them (see ``Services.require_*`` for typed access).
    @property
    def registry(self) -> Registry | None:
        return self.model.services.registry

    @registry.setter
    def registry(self, value: Registry | None) -> None:
        self.model.services.registry = value

    @property
    def analyzer(self) -> FaceAnalyzer | None:
        return self.model.services.analyzer

    @analyzer.setter
    def analyzer(self, value: FaceAnalyzer | None) -> None:
        self.model.services.analyzer = value

    @property
    def gallery(self) -> ActorGallery | None:
        return self.model.services.gallery

    @gallery.setter
    def gallery(self, value: ActorGallery | None) -> None:
        self.model.services.gallery = value

    @property
    def events(self) -> Sender | None:
        return self.model.services.events

    @property
    def worker(self) -> CaptureDriver | None:
        return self.model.driver

    @property
    def wall_clock(self) -> Callable[[], float]:
        return self.model.wall_clock

    @wall_clock.setter
    def wall_clock(self, value: Callable[[], float]) -> None:
        self.model.wall_clock = value

    @property
    def admin_signed_in(self) -> bool:
        return self.model.admin_signed_in

    @admin_signed_in.setter
    def admin_signed_in(self, value: bool) -> None:
        if value:
            self.model.sign_in_admin()
        else:
            self.model.sign_out()

    def camera_in_use(self) -> str:
        """The camera source in use (``kiosk run --camera`` may differ from the saved setting)."""
        return self.model.camera_source

    def go(self, name: ScreenName, **kwargs: Any) -> None:
        self.model.navigate(name, **kwargs)

    def sign_out(self) -> None:
        self.model.sign_out()

    def audit(self, event: str, detail: str | None = None) -> None:
        """Record an admin action; a failing audit write is logged, never shown as a crash."""
        self.model.audit(event, detail)
