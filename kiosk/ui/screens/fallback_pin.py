"""Card + face, the fallback: the person's own PIN after the face was not accepted.

Offered only when the operator turned ``login.pin_fallback`` on. The check, its audit
(``signin_fallback``) and its attempt limits are ``kiosk.flows.verify.pin_sign_in``'s; the
model (``KioskModel.decide_fallback``) adds attendance mode's punch and shows the answer.
"""

from __future__ import annotations

from typing import Any

from kiosk.ui.i18n import tr
from kiosk.ui.navigation import ScreenName
from kiosk.ui.screens.base import Screen, button, label
from kiosk.ui.widgets.pinpad import PinPad


class FallbackPinScreen(Screen):
    name = ScreenName.FALLBACK_PIN

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.claim = ""
        self.title = label("title")
        self.message = label("pinMessage")
        self.pad = PinPad(self)
        self.pad.submitted.connect(self._submitted)
        self.cancel_button = button("cancel", lambda: self.ctx.go(ScreenName.ATTRACT))
        self.keypad_page(texts=(self.title, self.message), keys=(self.pad, self.cancel_button))
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(tr("Your personal PIN"))
        self.message.setText(tr("ID {id}: type your PIN and press OK.").format(id=self.claim))
        self.cancel_button.setText(tr("Cancel"))

    def enter(self, claim: str = "", **kwargs: Any) -> None:
        self.claim = claim
        self.pad.clear()
        self.retranslate()

    def leave(self) -> None:
        self.pad.clear()

    def _submitted(self, pin: str) -> None:
        self.ctx.model.decide_fallback(self.claim, pin)
