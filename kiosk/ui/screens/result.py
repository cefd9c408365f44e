"""Result of a login: welcome, try again (with the reason), not recognised, or refused.

Attendance mode's punch on it (IN or OUT, the switch, the cooldown line) is ``AnswerScreen``'s,
shared with card + face."""

from __future__ import annotations

from typing import Any

from kiosk.flows.signin import ACCEPT, REJECT, RETRY, SPOOF, ResultView
from kiosk.ui.i18n import tr
from kiosk.ui.navigation import ScreenName
from kiosk.ui.screens.answer import AnswerScreen
from kiosk.ui.texts import reason_text


class ResultScreen(AnswerScreen):
    name = ScreenName.RESULT
    view: ResultView

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.lay_out()
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
        self.show_answer(kind, titles[kind], details[kind])

    def enter(self, view: ResultView | None = None, **kwargs: Any) -> None:
        self.view = view or ResultView(REJECT)
        self.greet(self.view.name)
        self.offer_switch()
        self.retranslate()
        self.start_timer()
