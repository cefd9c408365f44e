"""The frame both sign-in answers share: the face-only result (``result.py``) and card + face (``verify_result.py``).

Each renders its own flow's view (``flows.signin.ResultView``, ``flows.verify.VerifyView``);
what they have in common is how an answer is shown and how it goes away.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.ui.i18n import tr
from kiosk.ui.navigation import ScreenName
from kiosk.ui.screens.base import Screen, button, label

if TYPE_CHECKING:
    from kiosk.ui.context import AppContext


class AnswerScreen(Screen):
    """A title coloured by the outcome, the person's name (an accept only), one line of detail, Done,
    and a timer back to the attract screen, so an answer never stays up for the next visitor."""

    idle_exempt = True  # it returns to the attract screen by its own timer

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.title = label("resultTitle")
        self.person = label("personName", untranslated=True)
        self.detail = label("subtitle")
        self.done_button = button("done", self.finish, primary=True)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.finish)

    def lay_out(self, under_name: Sequence[QWidget] = (), under_detail: Sequence[QWidget] = (), above_done: Sequence[QWidget] = ()) -> None:
        """Title, name and detail a little above the middle; a screen's own widgets where named; Done at the bottom."""
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        for widget in (self.title, self.person, *under_name, self.detail):
            layout.addWidget(widget)
        if under_detail:
            layout.addSpacing(24)
        for widget in under_detail:
            layout.addWidget(widget)
        layout.addStretch(3)
        for widget in (*above_done, self.done_button):
            layout.addWidget(widget)

    def show_answer(self, kind: str, title: str, detail: str) -> None:
        self.title.setText(title)
        self.detail.setText(detail)
        self.done_button.setText(tr("Done"))
        self.title.setProperty("kind", str(kind))  # the style sheet colours the title by outcome
        self.title.style().unpolish(self.title)
        self.title.style().polish(self.title)

    def greet(self, name: str | None) -> None:
        """The person's name under the title; hidden when nobody was recognised."""
        self.person.setText(name or "")
        self.person.setVisible(bool(name))

    def start_timer(self) -> None:
        self.timer.start(int(self.ctx.settings.ui.result_seconds * 1000))

    def leave(self) -> None:
        self.timer.stop()

    def finish(self) -> None:
        self.ctx.go(ScreenName.ATTRACT, after_result=True)
