"""Login in progress: preview with the face box, large guidance, progress; then the match."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtWidgets import QVBoxLayout

from kiosk.errors import KioskError
from kiosk.ui import result_view
from kiosk.ui.i18n import tr
from kiosk.ui.screens.base import Screen, button
from kiosk.ui.widgets.capture_view import CaptureView

log = logging.getLogger(__name__)


class LoginScreen(Screen):
    name = "login"
    idle_exempt = True  # the capture has its own timeout

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.view = CaptureView(self)
        self.cancel_button = button("cancel", self.cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.cancel_button)
        self._running = False
        self.retranslate()

    def retranslate(self) -> None:
        self.view.retranslate()
        self.cancel_button.setText(tr("Cancel"))

    def enter(self, running: bool = False, **kwargs: Any) -> None:
        """``running``: the attract screen hands over a capture it already started."""
        self.view.reset(self.ctx.settings.login.min_valid_frames)
        self.retranslate()
        self._running = True
        if not running:
            self.ctx.worker.start_capture("login")

    def leave(self) -> None:
        if self._running:
            self._running = False
            self.ctx.worker.cancel_capture()

    def cancel(self) -> None:
        self.ctx.go("attract")

    def on_frame(self, image: Any) -> None:
        self.view.show_frame(image)

    def on_report(self, report: Any) -> None:
        self.view.show_report(report)

    def on_progress(self, done: int, total: int) -> None:
        self.view.show_progress(done, total)

    def on_result(self, result: Any) -> None:
        if not self._running:
            return
        self._running = False
        view = result_view.from_capture(result)
        if view is None:
            try:
                decision = self.ctx.registry.identify(result.template.vector)
            except KioskError as exc:
                log.error("identify failed: %s", exc)
                view = result_view.ResultView(result_view.RETRY, reason="other")
            else:
                view = result_view.from_decision(decision)
        elif view.kind == result_view.SPOOF:  # refused before matching: audited (and sent as signin.spoof) here
            self.ctx.registry.record_event("identify", decision="spoof", detail="presentation attack refused")
        self.ctx.go("result", view=view)
