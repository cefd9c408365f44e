"""Login in progress: preview with the face box, large guidance, progress; then the match.

What the result means is ``kiosk.flows.signin``'s rule; this screen only shows the capture.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QVBoxLayout

from kiosk.flows.attendance import after_sign_in
from kiosk.flows.signin import sign_in
from kiosk.flows.verify import verify_sign_in
from kiosk.ui.i18n import tr
from kiosk.ui.navigation import ScreenName
from kiosk.ui.screens.base import Screen, button
from kiosk.ui.widgets.capture_view import CaptureView

if TYPE_CHECKING:
    from kiosk.capture.types import CaptureResult, FrameReport


class LoginScreen(Screen):
    name = ScreenName.LOGIN
    idle_exempt = True  # the capture has its own timeout

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.view = CaptureView(self)
        self.cancel_button = button("cancel", self.cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.cancel_button)
        self.claim: str | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.view.retranslate()
        self.cancel_button.setText(tr("Cancel"))

    def enter(self, running: bool = False, claim: str | None = None, **kwargs: Any) -> None:
        """``running``: the attract screen hands over a capture it already started.
        ``claim``: card + face, the id given first; the face is then checked 1:1 against it."""
        self.claim = claim
        self.view.reset(self.ctx.settings.login.min_valid_frames)
        self.retranslate()
        if not running:
            self.ctx.capture.start(self.name, "login", unattended=True)

    def leave(self) -> None:
        self.ctx.capture.release(self.name)

    def cancel(self) -> None:
        self.ctx.go(ScreenName.ATTRACT)

    def on_frame(self, image: Any) -> None:
        self.view.show_frame(image)

    def on_report(self, report: FrameReport) -> None:
        self.view.show_report(report)

    def on_progress(self, done: int, total: int) -> None:
        self.view.show_progress(done, total)

    def on_result(self, result: CaptureResult) -> None:
        if not self.ctx.capture.finish(self.name):
            return
        if self.claim is not None:
            login = self.ctx.settings.login
            verified = verify_sign_in(self.registry, self.claim, result, now=self.ctx.wall_clock(), pin_fallback=login.pin_fallback)
            self.ctx.go(ScreenName.VERIFY_RESULT, view=verified)
            return
        view = after_sign_in(self.registry, sign_in(self.registry, result), self.ctx.settings.login)
        self.ctx.go(ScreenName.RESULT, view=view)
