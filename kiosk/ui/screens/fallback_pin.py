"""Card + face, the fallback: the person's own PIN after the face was not accepted.

Offered only when the operator turned ``login.pin_fallback`` on. The check, its audit
(``signin_fallback``) and its attempt limits are ``kiosk.flows.verify.pin_sign_in``'s.
"""

from __future__ import annotations

from typing import Any

from kiosk.flows.verify import pin_sign_in
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
        view = pin_sign_in(self.registry, self.claim, pin, now=self.ctx.wall_clock())
        self.ctx.go(ScreenName.VERIFY_RESULT, view=view)
