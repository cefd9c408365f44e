"""Login in progress: preview with the face box, large guidance, progress; then the match.

What the result means is ``kiosk.flows.signin``'s rule, applied by the model
(``KioskModel.handle`` -> ``_decide_sign_in``) when this screen's capture ends; the
screen only shows the capture.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QVBoxLayout

from kiosk.ui.i18n import tr
from kiosk.ui.navigation import ScreenName
from kiosk.ui.screens.base import Screen, button
from kiosk.ui.widgets.capture_view import CaptureView

if TYPE_CHECKING:
    from kiosk.capture.types import FrameReport


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
        self.retranslate()

    @property
    def claim(self) -> str | None:
        """Card + face: the id the running sign-in checks against (None: identify)."""
        return self.ctx.model.sign_in_claim

    def retranslate(self) -> None:
        self.view.retranslate()
        self.cancel_button.setText(tr("Cancel"))

    def enter(self, running: bool = False, claim: str | None = None, **kwargs: Any) -> None:
        """``running``: the attract screen hands over a capture it already started.
        ``claim``: card + face, the id given first; the face is then checked 1:1 against it."""
        self.view.reset(self.ctx.settings.login.min_valid_frames)
        self.retranslate()
        self.ctx.model.begin_sign_in(claim, running=running)

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
