"""Result of a login: welcome, try again (with the reason), not recognised, or refused."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from PySide6.QtCore import QTimer

from kiosk.errors import KioskError
from kiosk.flows import attendance
from kiosk.flows.attendance import Direction, PunchStatus
from kiosk.flows.signin import ACCEPT, REJECT, RETRY, SPOOF, ResultView
from kiosk.ui.i18n import tr
from kiosk.ui.navigation import ScreenName
from kiosk.ui.screens.answer import AnswerScreen
from kiosk.ui.screens.base import button, label
from kiosk.ui.texts import reason_text

log = logging.getLogger(__name__)


class ResultScreen(AnswerScreen):
    name = ScreenName.RESULT

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        # Attendance mode (kiosk/flows/attendance.py): IN or OUT, big, and for a few seconds a
        # button that switches the punch just recorded.
        self.punch = label("punchDirection")
        self.switch_button = button("switchPunch", self.switch_punch)
        self.lay_out(under_name=[self.punch], under_detail=[self.switch_button])  # the switch beside the word it changes, not down with Done
        self.switch_timer = QTimer(self)
        self.switch_timer.setSingleShot(True)
        self.switch_timer.timeout.connect(self.switch_button.hide)
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
        punch = self.view.punch
        if kind == ACCEPT and punch is not None and punch.status == PunchStatus.RECORDED and punch.direction == Direction.OUT:
            titles[ACCEPT] = tr("Goodbye")
        self.show_answer(kind, titles[kind], self._punch_detail() or details[kind])
        self._show_punch()

    def _punch_detail(self) -> str:
        punch = self.view.punch
        if punch is None:
            return ""
        texts = {
            PunchStatus.RECORDED: tr("Recorded at {time}"),
            PunchStatus.COOLDOWN: tr("Already recorded at {time}"),
            PunchStatus.FAILED: tr("Your attendance was not recorded. Please tell a member of staff."),
        }
        return texts[punch.status].format(time=punch.clock)

    def _show_punch(self) -> None:
        punch = self.view.punch
        shown = punch is not None and punch.direction is not None
        self.punch.setVisible(shown)
        if not shown:
            return
        self.punch.setText(tr("IN") if punch.direction == Direction.IN else tr("OUT"))
        self.switch_button.setText(tr("Switch to OUT") if punch.direction == Direction.IN else tr("Switch to IN"))
        self.punch.setProperty("direction", punch.direction.value)  # the style sheet colours IN and OUT
        self.punch.setProperty("status", punch.status.value)
        self.punch.style().unpolish(self.punch)
        self.punch.style().polish(self.punch)

    def enter(self, view: ResultView | None = None, **kwargs: Any) -> None:
        self.view = view or ResultView(REJECT)
        self.greet(self.view.name)
        switchable = self.view.punch is not None and self.view.punch.switchable
        self.switch_button.setVisible(switchable)
        if switchable:
            self.switch_timer.start(int(attendance.SWITCH_SECONDS * 1000))
        self.retranslate()
        self.start_timer()

    def leave(self) -> None:
        super().leave()
        self.switch_timer.stop()

    def switch_punch(self) -> None:
        """The visitor says the other direction: the punch just recorded is corrected (audited)."""
        if self.view.punch is None or not self.view.punch.switchable:
            return
        try:
            punch = attendance.switch(self.ctx.registry, self.view.punch)
        except KioskError as exc:
            log.error("punch not switched: %s", exc)
            punch = attendance.PunchView(PunchStatus.FAILED)
            self.switch_button.hide()
        self.view = dataclasses.replace(self.view, punch=punch)
        self.retranslate()
