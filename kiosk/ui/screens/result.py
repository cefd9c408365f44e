"""Result of a login: welcome, try again (with the reason), not recognised, or refused."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QVBoxLayout

from kiosk.flows.signin import ACCEPT, REJECT, RETRY, SPOOF, ResultView
from kiosk.ui.i18n import tr
from kiosk.ui.navigation import ScreenName
from kiosk.ui.screens.base import Screen, button, label
from kiosk.ui.texts import reason_text


class ResultScreen(Screen):
    name = ScreenName.RESULT
    idle_exempt = True  # it returns to the attract screen by its own timer

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.title = label("resultTitle")
        self.person = label("personName", untranslated=True)
        self.detail = label("subtitle")
        self.done_button = button("done", self.finish, primary=True)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(self.title)
        layout.addWidget(self.person)
        layout.addWidget(self.detail)
        layout.addStretch(3)
        layout.addWidget(self.done_button)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.finish)
        self.view = ResultView(REJECT)
        self.retranslate()

    def retranslate(self) -> None:
        kind = self.view.kind
        titles = {
            ACCEPT: tr("Welcome"),
            RETRY: tr("Please try again"),
            REJECT: tr("Not recognised"),
            SPOOF: tr("Sign-in refused"),
        }
        details = {
            ACCEPT: tr("You are signed in."),
            RETRY: reason_text(self.view.reason),
            REJECT: tr("You are not enrolled at this kiosk. Please ask a member of staff."),
            SPOOF: tr("Please ask a member of staff for help."),
        }
        self.title.setText(titles[kind])
        self.detail.setText(details[kind])
        self.done_button.setText(tr("Done"))
        self.title.setProperty("kind", kind)  # the style sheet colours the title by outcome
        self.title.style().unpolish(self.title)
        self.title.style().polish(self.title)

    def enter(self, view: ResultView | None = None, **kwargs: Any) -> None:
        self.view = view or ResultView(REJECT)
        self.person.setText(self.view.name or "")
        self.person.setVisible(bool(self.view.name))
        self.retranslate()
        self.timer.start(int(self.ctx.settings.ui.result_seconds * 1000))

    def leave(self) -> None:
        self.timer.stop()

    def finish(self) -> None:
        self.ctx.go(ScreenName.ATTRACT, after_result=True)
