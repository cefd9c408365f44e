"""Card + face, the answer: welcome by name, try again, not confirmed (with the PIN
fallback when the operator turned it on), or the wait while the id is locked.

What the answer is is ``kiosk.flows.verify``'s rule; this screen renders its ``VerifyView``.
In attendance mode an accept carries its punch, shown as the face-only result shows it
(``AnswerScreen``: IN or OUT, the switch, the cooldown line).
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QTimer

from kiosk.flows.verify import Method, VerifyKind, VerifyView
from kiosk.ui.i18n import tr
from kiosk.ui.navigation import ScreenName
from kiosk.ui.screens.answer import AnswerScreen
from kiosk.ui.screens.base import button
from kiosk.ui.texts import reason_text


class VerifyResultScreen(AnswerScreen):
    name = ScreenName.VERIFY_RESULT
    view: VerifyView

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.pin_button = button("usePin", self.use_pin)
        self.lay_out(above_done=[self.pin_button])
        self.tick = QTimer(self)
        self.tick.setInterval(1000)
        self.tick.timeout.connect(self.retranslate)
        self.view = VerifyView(VerifyKind.REJECT, "")
        self._locked_until = 0.0
        self.retranslate()

    def remaining(self) -> int:
        return max(0, math.ceil(self._locked_until - self.ctx.wall_clock()))

    def retranslate(self) -> None:
        kind = self.view.kind
        titles = {
            VerifyKind.ACCEPT: tr("Welcome"),
            VerifyKind.RETRY: tr("Please try again"),
            VerifyKind.REJECT: tr("Not confirmed"),
            VerifyKind.SPOOF: tr("Sign-in refused"),
            VerifyKind.LOCKED: tr("Too many attempts"),
        }
        accepted = tr("Signed in with your PIN.") if self.view.method == Method.FALLBACK else tr("Your face matches your ID. You are signed in.")
        rejected = tr("The PIN was not accepted.") if self.view.method == Method.FALLBACK else tr("Your face did not match the ID {id}.").format(id=self.view.claim)
        details = {
            VerifyKind.ACCEPT: accepted,
            VerifyKind.RETRY: reason_text(self.view.reason),
            VerifyKind.REJECT: rejected,
            VerifyKind.SPOOF: tr("Please ask a member of staff for help."),
            VerifyKind.LOCKED: tr("ID {id} is locked. Try again in {s} seconds, or ask a member of staff.").format(
                id=self.view.claim, s=self.remaining()
            ),
        }
        self.show_answer(kind, titles[kind], details[kind])
        self.pin_button.setText(tr("Use my PIN instead"))
        if kind == VerifyKind.LOCKED and self.remaining() == 0:
            self.tick.stop()

    def enter(self, view: VerifyView | None = None, **kwargs: Any) -> None:
        self.view = view or VerifyView(VerifyKind.REJECT, "")
        self._locked_until = self.ctx.wall_clock() + self.view.wait_s
        self.greet(self.view.name)
        self.offer_switch()
        self.pin_button.setVisible(self.view.offer_pin)
        if self.view.kind == VerifyKind.LOCKED:
            self.tick.start()
        self.retranslate()
        self.start_timer()

    def leave(self) -> None:
        super().leave()
        self.tick.stop()

    def use_pin(self) -> None:
        self.ctx.go(ScreenName.FALLBACK_PIN, claim=self.view.claim)
