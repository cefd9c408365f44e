"""Out-of-order and operator-message screens: a friendly page instead of a traceback.

``out_of_order`` (camera lost) waits while the camera worker reopens the camera
with back-off, and goes back to the attract screen when frames flow again.
``operator`` explains a problem only an operator can fix (database key missing or
wrong, no model pack) and offers retry.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kiosk.capture.commands import CameraState
from kiosk.ui.i18n import tr
from kiosk.ui.navigation import ScreenName
from kiosk.ui.screens.base import Screen, button, label


class OutOfOrderScreen(Screen):
    name = ScreenName.OUT_OF_ORDER
    idle_exempt = True

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.title = label("title")
        self.body = label("subtitle")
        self.admin_button = button("adminEntry", self._admin)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addStretch(3)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.admin_button)
        layout.addLayout(row)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(tr("Temporarily out of order"))
        self.body.setText(tr("The camera is not available. We are trying again; please use another kiosk meanwhile."))
        self.admin_button.setText(tr("Admin"))

    def _admin(self) -> None:
        self.ctx.go(ScreenName.PIN)

    def on_source_state(self, state: CameraState) -> None:
        if state == CameraState.LIVE:
            self.ctx.go(ScreenName.ATTRACT)


class OperatorMessageScreen(Screen):
    name = ScreenName.OPERATOR
    idle_exempt = True

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.title = label("title")
        self.body = label("subtitle")
        self.detail = label("detail", untranslated=True)
        self.retry_button = button("retry", self._retry, primary=True)
        self.exit_button = button("exit", self._exit)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        for w in (self.title, self.body, self.detail):
            layout.addWidget(w)
        layout.addStretch(2)
        row = QHBoxLayout()
        row.addWidget(self.exit_button)
        row.addWidget(self.retry_button)
        layout.addLayout(row)
        self._problem = "store"
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(tr("Operator attention needed"))
        bodies = {
            "store": tr("The kiosk cannot open its database: the key is missing or wrong. Nobody can sign in until an operator fixes it."),
            "models": tr("The kiosk cannot load its face models. An operator must install a model pack."),
            "other": tr("The kiosk cannot start. An operator must look at it."),
        }
        self.body.setText(bodies.get(self._problem, bodies["other"]))
        self.retry_button.setText(tr("Try again"))
        self.exit_button.setText(tr("Close the kiosk"))

    def enter(self, problem: str = "other", detail: str = "", **kwargs: Any) -> None:
        self.entered_with = {"problem": problem, "detail": detail}  # Cancel on the exit PIN comes back to this
        self._problem = problem
        self.detail.setText(detail)
        self.retranslate()

    def _retry(self) -> None:
        self.ctx.restart()

    def _exit(self) -> None:
        self.ctx.request_exit()  # the admin PIN first
