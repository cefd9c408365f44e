"""Admin PIN: sign in with the touch pad, choose the first PIN on a new database, or close the kiosk.

There is no default PIN. A wrong PIN is answered plainly; after repeated failures
the registry locks the admin out and the remaining time is shown and counted down.
The rules are ``kiosk.flows.admin_pin``'s; this screen renders its answers.

Modes: ``login``; ``setup`` (no admin yet: the one-time setup code printed on the computer
first, then the PIN; without an armed code the pad stays closed and says how to arm it,
and the screen looks again each second); ``exit`` (leaving the kiosk: the PIN, or a
confirmation when the admin is signed in; every way out of the window comes here).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QTimer

from kiosk.errors import KioskError
from kiosk.flows.admin_pin import AdminSignIn, PinAnswer, PinProblem, PinSetupFlow, SetupStage
from kiosk.store.admins import MIN_PIN_DIGITS, SETUP_CODE_DIGITS
from kiosk.ui.i18n import tr
from kiosk.ui.navigation import ScreenName
from kiosk.ui.screens.base import Screen, button, label
from kiosk.ui.widgets.pinpad import PinPad

log = logging.getLogger(__name__)


class PinScreen(Screen):
    name = ScreenName.PIN

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.title = label("title")
        self.message = label("pinMessage")
        self.pad = PinPad(self)
        self.pad.submitted.connect(self._submitted)
        self.cancel_button = button("cancel", self._cancel)
        self.confirm_exit_button = button("confirmExit", self._exit_now)
        self.confirm_exit_button.hide()  # shown only to confirm an exit: never part of the page's minimum size
        self.keypad_page(texts=(self.title, self.message), keys=(self.pad, self.confirm_exit_button, self.cancel_button))
        self.mode = "login"
        self.return_to: tuple[ScreenName, dict[str, Any]] = (ScreenName.ATTRACT, {})  # where Cancel leads from ``exit``
        self.setup: PinSetupFlow | None = None
        self.armed = True  # setup: whether a setup code waits (else nothing is accepted from the screen)
        self.admin = AdminSignIn(clock=lambda: self.ctx.clock())
        self._message_key = ""
        self.tick = QTimer(self)
        self.tick.setInterval(1000)
        self.tick.timeout.connect(self._tick)
        self.retranslate()

    @property
    def idle_exempt(self) -> bool:  # type: ignore[override]
        return self.mode == "setup"  # the first PIN must be set before anything else

    def enter(self, mode: str = "login", return_to: tuple[ScreenName, dict[str, Any]] | None = None, **kwargs: Any) -> None:
        self.mode = mode
        self.return_to = return_to or (ScreenName.ATTRACT, {})
        self.armed = self._armed() if mode == "setup" else True
        self.setup = PinSetupFlow(with_code=True) if mode == "setup" else None
        self._message_key = ""
        self.pad.clear()
        confirming = self._confirming_exit
        self.pad.setVisible(not confirming and self.armed)  # not set up: nothing to type
        self.confirm_exit_button.setVisible(confirming)
        self.cancel_button.setVisible(mode in ("login", "exit"))
        self._tick()
        self.retranslate()

    @property
    def _confirming_exit(self) -> bool:
        """Leaving while the admin is signed in: a confirmation, not the PIN again."""
        return self.mode == "exit" and self.ctx.admin_signed_in

    def _armed(self) -> bool:
        try:
            return self.ctx.registry is not None and self.ctx.registry.setup_armed()
        except KioskError:
            return False

    def _admins(self) -> Any:
        """The registry; without one (no model pack: the operator screen) the database alone."""
        if self.ctx.registry is not None:
            return self.ctx.registry
        from kiosk.registry import PacklessAdmins  # numpy and the store: not on the start-up path

        return PacklessAdmins(self.ctx.settings.data_dir)

    def _cancel(self) -> None:
        if self.mode == "exit":
            name, kwargs = self.return_to
            self.ctx.go(name, **kwargs)
        else:
            self.ctx.go(ScreenName.ATTRACT)

    def _exit_now(self) -> None:
        detail = "confirmed by the signed-in admin" if self.ctx.admin_signed_in else "admin PIN"
        try:
            self._admins().audit("kiosk_exit", detail=detail)
        except KioskError as exc:  # the kiosk still closes: the PIN was right
            log.error("audit kiosk_exit failed: %s", exc)
        self.ctx.exit_kiosk()

    def leave(self) -> None:
        self.tick.stop()
        self.pad.clear()

    def retranslate(self) -> None:
        stage = self.setup.stage if self.setup else SetupStage.CHOOSE
        if self.mode == "setup" and not self.armed:
            self.title.setText(tr("This kiosk is not set up yet"))
        elif self.mode == "setup":
            titles = {
                SetupStage.CODE: tr("Type the setup code"),
                SetupStage.CHOOSE: tr("Choose the admin PIN"),
                SetupStage.CONFIRM: tr("Type the same PIN again"),
            }
            self.title.setText(titles[stage])
        elif self.mode == "exit":
            self.title.setText(tr("Close the kiosk?") if self._confirming_exit else tr("Admin PIN"))
        else:
            self.title.setText(tr("Admin PIN"))
        if self.mode == "setup" and not self.armed:
            first = tr(
                "An operator must allow the first admin PIN on this computer: kiosk admin set-pin --setup-code "
                "prints a code to type here (the installer showed one), or kiosk admin set-pin sets the PIN there."
            )
        elif self.mode == "setup" and stage == SetupStage.CODE:
            first = tr("The {n}-digit code printed by kiosk admin set-pin --setup-code when the kiosk was installed.").format(n=SETUP_CODE_DIGITS)
        elif self.mode == "setup":
            first = tr("At least {n} digits, not a run or a repeat (like 123456 or 000000). There is no default PIN.").format(n=MIN_PIN_DIGITS)
        elif self._confirming_exit:
            first = tr("Nobody can sign in until the kiosk is started again.")
        elif self.mode == "exit":
            first = tr("Type the admin PIN to close the kiosk.")
        else:
            first = tr("Type the PIN and press OK")
        wrong = tr("Wrong setup code. Try again.") if self.mode == "setup" else tr("Wrong PIN. Try again.")
        messages = {
            "": first,
            PinProblem.TOO_SHORT: tr("The PIN needs at least {n} digits.").format(n=MIN_PIN_DIGITS),
            PinProblem.GUESSABLE: tr("This PIN is too easy to guess: no runs or repeats like 123456, 654321, 000000 or 121212."),
            PinProblem.MISMATCH: tr("The two PINs were different. Start again."),
            PinAnswer.WRONG: wrong,
            PinAnswer.LOCKED: tr("Too many wrong PINs. Locked for {s} more seconds.").format(s=self.admin.remaining()),
            PinAnswer.ERROR: tr("The PIN could not be checked."),
        }
        self.message.setText(messages.get(self._message_key, ""))
        self.message.setProperty("role", "error" if self._message_key else "")
        self.message.style().polish(self.message)
        self.cancel_button.setText(tr("Cancel"))
        self.confirm_exit_button.setText(tr("Close the kiosk"))

    def _tick(self) -> None:
        if self.mode == "setup" and not self.armed:  # waiting for the operator at the computer
            self.tick.start()
            self.pad.set_keys_enabled(False)
            if self.ctx.registry is not None and self.ctx.registry.has_admin():
                self.ctx.go(ScreenName.ATTRACT)
            elif self._armed():
                self.enter(mode="setup")
            return
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
        self.ctx.model.sign_in_admin()
        self.ctx.go(ScreenName.ADMIN_HOME)

    def _submitted(self, pin: str) -> None:
        if self.admin.remaining() > 0:
            return
        if self.mode == "setup":
            self._setup_submitted(pin)
            return
        # Signing in needs the registry (the admin screens use it); leaving needs only the database.
        admins = self._admins() if self.mode == "exit" else self.ctx.registry
        answer = self.admin.check(admins, pin) if admins is not None else PinAnswer.ERROR
        if answer == PinAnswer.OK:
            self._exit_now() if self.mode == "exit" else self._signed_in()
            return
        self._message_key = answer
        self._tick()

    def _setup_submitted(self, pin: str) -> None:
        setup = self.setup
        if not self.armed or setup is None:  # setup mode only
            return
        if setup.stage == SetupStage.CODE:
            answer = self.admin.check_code(self.registry, pin)
            if answer == PinAnswer.OK:
                setup.code_accepted(pin)
            self._message_key = "" if answer == PinAnswer.OK else answer
            self.armed = answer == PinAnswer.OK or self._armed()  # five wrong codes use it up
            self._tick()
            return
        for ch in pin:
            setup.entry.press(ch)
        chosen = setup.submit()
        self._message_key = setup.problem or ""
        if chosen is None:
            self.retranslate()
            return
        answer = self.admin.set_pin(self.registry, chosen, code=setup.code)
        if answer != PinAnswer.OK:
            self._message_key = answer
            self.retranslate()
            return
        self._signed_in()
