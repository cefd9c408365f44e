"""Admin PIN: sign in with the touch pad, or choose the first PIN on a new database.

There is no default PIN. A wrong PIN is answered plainly; after repeated failures
the registry locks the admin out and the remaining time is shown and counted down.
The rules are ``kiosk.flows.admin_pin``'s; this screen renders its answers.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kiosk.flows.admin_pin import MIN_PIN_DIGITS, AdminSignIn, PinAnswer, PinProblem, PinSetupFlow, SetupStage
from kiosk.ui.i18n import tr
from kiosk.ui.navigation import ScreenName
from kiosk.ui.screens.base import Screen, button, label
from kiosk.ui.widgets.pinpad import PinPad


class PinScreen(Screen):
    name = ScreenName.PIN

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.title = label("title")
        self.message = label("pinMessage")
        self.pad = PinPad(self)
        self.pad.submitted.connect(self._submitted)
        self.cancel_button = button("cancel", lambda: self.ctx.go(ScreenName.ATTRACT))
        # Texts above the pad on a portrait screen, beside it on a landscape one: stacked, they
        # need 960 px of height and a 1280x800 tablet has 800 (issue 15).
        texts = QVBoxLayout()
        texts.addStretch(1)
        texts.addWidget(self.title)
        texts.addWidget(self.message)
        texts.addStretch(1)
        keys = QVBoxLayout()
        keys.addWidget(self.pad)
        keys.addWidget(self.cancel_button)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addLayout(keys, 3)
        row.addStretch(1)
        box = self.adaptive_box()
        box.addLayout(texts, 1)
        box.addLayout(row, 1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(box)
        layout.addStretch(1)
        self.mode = "login"
        self.setup: PinSetupFlow | None = None
        self.admin = AdminSignIn(clock=lambda: self.ctx.clock())
        self._message_key = ""
        self.tick = QTimer(self)
        self.tick.setInterval(1000)
        self.tick.timeout.connect(self._tick)
        self.retranslate()

    @property
    def idle_exempt(self) -> bool:  # type: ignore[override]
        return self.mode == "setup"  # the first PIN must be set before anything else

    def enter(self, mode: str = "login", **kwargs: Any) -> None:
        self.mode = mode
        self.setup = PinSetupFlow() if mode == "setup" else None
        self._message_key = ""
        self.pad.clear()
        self.cancel_button.setVisible(mode == "login")
        self._tick()
        self.retranslate()

    def leave(self) -> None:
        self.tick.stop()
        self.pad.clear()

    def retranslate(self) -> None:
        if self.mode == "setup":
            stage = self.setup.stage if self.setup else SetupStage.CHOOSE
            self.title.setText(tr("Choose the admin PIN") if stage == SetupStage.CHOOSE else tr("Type the same PIN again"))
        else:
            self.title.setText(tr("Admin PIN"))
        messages = {
            "": tr("At least {n} digits. There is no default PIN.").format(n=MIN_PIN_DIGITS) if self.mode == "setup" else tr("Type the PIN and press OK"),
            PinProblem.TOO_SHORT: tr("The PIN needs at least {n} digits.").format(n=MIN_PIN_DIGITS),
            PinProblem.MISMATCH: tr("The two PINs were different. Start again."),
            PinAnswer.WRONG: tr("Wrong PIN. Try again."),
            PinAnswer.LOCKED: tr("Too many wrong PINs. Locked for {s} more seconds.").format(s=self.admin.remaining()),
            PinAnswer.ERROR: tr("The PIN could not be checked."),
        }
        self.message.setText(messages.get(self._message_key, ""))
        self.cancel_button.setText(tr("Cancel"))

    def _tick(self) -> None:
        locked = self.admin.remaining() > 0
        if locked:
            self.tick.start()
        else:
            self.tick.stop()
            if self._message_key == PinAnswer.LOCKED:
                self._message_key = ""
        self.pad.set_keys_enabled(not locked)
        self.retranslate()

    def _signed_in(self) -> None:
        self.ctx.admin_signed_in = True
        self.ctx.go(ScreenName.ADMIN_HOME)

    def _submitted(self, pin: str) -> None:
        if self.admin.remaining() > 0:
            return
        if self.mode == "setup":
            self._setup_submitted(pin)
            return
        answer = self.admin.check(self.ctx.registry, pin)
        if answer == PinAnswer.OK:
            self._signed_in()
            return
        self._message_key = answer
        self._tick()

    def _setup_submitted(self, pin: str) -> None:
        for ch in pin:
            self.setup.entry.press(ch)
        chosen = self.setup.submit()
        self._message_key = self.setup.problem or ""
        if chosen is None:
            self.retranslate()
            return
        answer = self.admin.set_pin(self.ctx.registry, chosen)
        if answer != PinAnswer.OK:
            self._message_key = answer
            self.retranslate()
            return
        self._signed_in()
