"""Card + face, step one: the visitor's id, typed on a keypad or read from a badge.

A badge or QR swipe reaches the window's ``BadgeListener`` on any visitor screen and
starts the same check (``begin_verify``); this screen is for typing the id. A locked id
is told its wait at once, before any capture (``kiosk.flows.verify.claim_wait``).
"""

from __future__ import annotations

from typing import Any

from kiosk.flows.verify import VerifyKind, VerifyView, claim_wait, normalize_claim
from kiosk.ui.i18n import tr
from kiosk.ui.navigation import ScreenName
from kiosk.ui.screens.base import Screen, button, label
from kiosk.ui.widgets.pinpad import PinPad


def begin_verify(ctx: Any, claim: str) -> None:
    """Go to the capture for ``claim``, or straight to the wait when that id is locked."""
    claim = normalize_claim(claim)
    if not claim or ctx.registry is None:
        return
    wait = claim_wait(ctx.registry, claim, ctx.wall_clock())
    if wait:
        ctx.go(ScreenName.VERIFY_RESULT, view=VerifyView(VerifyKind.LOCKED, claim, wait_s=wait))
    else:
        ctx.go(ScreenName.LOGIN, claim=claim)


class IdPad(PinPad):
    """The PIN pad's keys, showing the id as typed (an id is not a secret)."""

    def _render(self) -> None:
        self.display.setText(self.entry.digits or " ")


class ClaimScreen(Screen):
    name = ScreenName.CLAIM

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.title = label("title")
        self.message = label("pinMessage")
        self.pad = IdPad(self)
        self.pad.submitted.connect(self._submitted)
        self.cancel_button = button("cancel", lambda: self.ctx.go(ScreenName.ATTRACT))
        self.keypad_page(texts=(self.title, self.message), keys=(self.pad, self.cancel_button))
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(tr("Your ID"))
        self.message.setText(tr("Type your ID number and press OK, or hold your badge to the reader."))
        self.cancel_button.setText(tr("Cancel"))

    def enter(self, **kwargs: Any) -> None:
        self.pad.clear()
        self.retranslate()

    def leave(self) -> None:
        self.pad.clear()

    def _submitted(self, claim: str) -> None:
        if claim:
            begin_verify(self.ctx, claim)
