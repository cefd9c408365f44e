"""Admin PIN: sign in with the touch pad, or choose the first PIN on a new database.

There is no default PIN. A wrong PIN is answered plainly; after repeated failures
the registry locks the admin out and the remaining time is shown and counted down.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kiosk.errors import AuthError, KioskError
from kiosk.ui.context import ADMIN_NAME
from kiosk.ui.i18n import tr
from kiosk.ui.pin_state import MIN_PIN_LENGTH, PinSetupFlow
from kiosk.ui.screens.base import Screen, button, label
from kiosk.ui.widgets.pinpad import PinPad


class PinScreen(Screen):
    name = "pin"

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.title = label("title")
        self.message = label("pinMessage")
        self.pad = PinPad(self)
        self.pad.submitted.connect(self._submitted)
        self.cancel_button = button("cancel", lambda: self.ctx.go("attract"))
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.pad, 3)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.cancel_button)
        layout.addStretch(1)
        self.mode = "login"
        self.setup: PinSetupFlow | None = None
        self._message_key = ""
        self._locked_until: float | None = None
        self.tick = QTimer(self)
        self.tick.setInterval(1000)
        self.tick.timeout.connect(self._tick)
        self.retranslate()

    @property
    def idle_exempt(self) -> bool:  # type: ignore[override]
        return self.mode == "setup"  # the first PIN must be set before anything else

    def enter(self, mode: str = "login", **kwargs: Any) -> None:
        self.mode = mode
        self.setup = PinSetupFlow(MIN_PIN_LENGTH) if mode == "setup" else None
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
            stage = self.setup.stage if self.setup else "choose"
            self.title.setText(tr("Choose the admin PIN") if stage == "choose" else tr("Type the same PIN again"))
        else:
            self.title.setText(tr("Admin PIN"))
        messages = {
            "": tr("At least {n} digits. There is no default PIN.").format(n=MIN_PIN_LENGTH) if self.mode == "setup" else tr("Type the PIN and press OK"),
            "too_short": tr("The PIN needs at least {n} digits.").format(n=MIN_PIN_LENGTH),
            "mismatch": tr("The two PINs were different. Start again."),
            "wrong": tr("Wrong PIN. Try again."),
            "locked": tr("Too many wrong PINs. Locked for {s} more seconds.").format(s=self._remaining()),
            "error": tr("The PIN could not be checked."),
        }
        self.message.setText(messages.get(self._message_key, ""))
        self.cancel_button.setText(tr("Cancel"))

    def _remaining(self) -> int:
        if self._locked_until is None:
            return 0
        return max(0, math.ceil(self._locked_until - self.ctx.clock()))

    def _lock(self, seconds: float) -> None:
        self._locked_until = self.ctx.clock() + seconds
        self._message_key = "locked"
        self.pad.set_keys_enabled(False)
        self.tick.start()
        self.retranslate()

    def _tick(self) -> None:
        if self._locked_until is not None and self._remaining() <= 0:
            self._locked_until = None
            self._message_key = ""
            self.tick.stop()
        self.pad.set_keys_enabled(self._locked_until is None)
        self.retranslate()

    def _submitted(self, pin: str) -> None:
        if self._locked_until is not None:
            return
        if self.mode == "setup":
            self._setup_submitted(pin)
            return
        try:
            self.ctx.registry.check_admin_pin(ADMIN_NAME, pin)
        except AuthError as exc:
            retry_after = getattr(exc, "retry_after", None) or 0
            if retry_after > 0:
                self._lock(retry_after)
            else:
                self._message_key = "wrong"
                self.retranslate()
            return
        except KioskError:
            self._message_key = "error"
            self.retranslate()
            return
        self.ctx.admin_signed_in = True
        self.ctx.go("admin_home")

    def _setup_submitted(self, pin: str) -> None:
        for ch in pin:
            self.setup.entry.press(ch)
        chosen = self.setup.submit()
        self._message_key = self.setup.problem or ""
        if chosen is None:
            self.retranslate()
            return
        self.ctx.registry.set_admin_pin(ADMIN_NAME, chosen)
        self.ctx.admin_signed_in = True
        self.ctx.go("admin_home")
