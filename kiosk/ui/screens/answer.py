"""The frame both sign-in answers share: the face-only result (``result.py``) and card + face (``verify_result.py``).

Each renders its own flow's view (``flows.signin.ResultView``, ``flows.verify.VerifyView``);
what they have in common is how an answer is shown, how it goes away, and attendance mode's
punch (``flows.attendance``): a face alone and a badge then the face punch alike, so they show
the punch alike.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.errors import KioskError
from kiosk.flows import attendance
from kiosk.flows.attendance import Direction, PunchStatus, PunchView
from kiosk.ui.i18n import tr
from kiosk.ui.navigation import ScreenName
from kiosk.ui.screens.base import Screen, button, label

if TYPE_CHECKING:
    from kiosk.flows.signin import ResultView
    from kiosk.flows.verify import VerifyView
    from kiosk.ui.context import AppContext

log = logging.getLogger(__name__)


class AnswerScreen(Screen):
    """A title coloured by the outcome, the person's name (an accept only), in attendance mode the
    punch (IN or OUT, big, with a few seconds' switch), one line of detail, Done, and a timer back
    to the attract screen, so an answer never stays up for the next visitor."""

    idle_exempt = True  # it returns to the attract screen by its own timer
    view: ResultView | VerifyView  # each screen's own flow's view; ``view.punch`` is what shows here

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.title = label("resultTitle")
        self.person = label("personName", untranslated=True)
        self.punch = label("punchDirection")
        self.detail = label("subtitle")
        self.switch_button = button("switchPunch", self.switch_punch)
        self.done_button = button("done", self.finish, primary=True)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.finish)
        self.switch_timer = QTimer(self)
        self.switch_timer.setSingleShot(True)
        self.switch_timer.timeout.connect(self.switch_button.hide)

    def lay_out(self, above_done: Sequence[QWidget] = ()) -> None:
        """Title, name, punch and detail a little above the middle; the switch beside the word it
        changes, not down with Done; a screen's own widgets above Done at the bottom."""
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        for widget in (self.title, self.person, self.punch, self.detail):
            layout.addWidget(widget)
        layout.addSpacing(24)
        layout.addWidget(self.switch_button)
        layout.addStretch(3)
        for bottom in (*above_done, self.done_button):
            layout.addWidget(bottom)

    def show_answer(self, kind: str, title: str, detail: str) -> None:
        """The answer's words; on an accept with a punch, "Goodbye" for an OUT and the punch's line for ``detail``."""
        punch = self.view.punch
        if self.view.accepted and punch is not None and punch.status == PunchStatus.RECORDED and punch.direction == Direction.OUT:
            title = tr("Goodbye")
        self.title.setText(title)
        self.detail.setText(self._punch_detail() or detail)
        self.done_button.setText(tr("Done"))
        self.title.setProperty("kind", str(kind))  # the style sheet colours the title by outcome
        self.title.style().unpolish(self.title)
        self.title.style().polish(self.title)
        self._show_punch()

    def greet(self, name: str | None) -> None:
        """The person's name under the title; hidden when nobody was recognised."""
        self.person.setText(name or "")
        self.person.setVisible(bool(name))

    def offer_switch(self) -> None:
        """As the answer shows: a punch just recorded can be switched for ``SWITCH_SECONDS``."""
        switchable = self.view.punch is not None and self.view.punch.switchable
        self.switch_button.setVisible(switchable)
        if switchable:
            self.switch_timer.start(int(attendance.SWITCH_SECONDS * 1000))

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
        self.punch.setVisible(punch is not None and punch.direction is not None)
        if punch is None or punch.direction is None:
            return
        self.punch.setText(tr("IN") if punch.direction == Direction.IN else tr("OUT"))
        self.switch_button.setText(tr("Switch to OUT") if punch.direction == Direction.IN else tr("Switch to IN"))
        self.punch.setProperty("direction", punch.direction.value)  # the style sheet colours IN and OUT
        self.punch.setProperty("status", punch.status.value)
        self.punch.style().unpolish(self.punch)
        self.punch.style().polish(self.punch)

    def switch_punch(self) -> None:
        """The visitor says the other direction: the punch just recorded is corrected (audited)."""
        if self.view.punch is None or not self.view.punch.switchable:
            return
        try:
            punch = attendance.switch(self.registry, self.view.punch)
        except KioskError as exc:
            log.error("punch not switched: %s", exc)
            punch = PunchView(PunchStatus.FAILED)
            self.switch_button.hide()
        self.view = dataclasses.replace(self.view, punch=punch)
        self.retranslate()

    def start_timer(self) -> None:
        self.timer.start(int(self.ctx.settings.ui.result_seconds * 1000))

    def leave(self) -> None:
        self.timer.stop()
        self.switch_timer.stop()

    def finish(self) -> None:
        self.ctx.go(ScreenName.ATTRACT, after_result=True)
