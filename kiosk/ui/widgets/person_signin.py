"""The selected person's card + face standing on the people screen: failed sign-ins in a
row, the lockout they earned (the admin can clear it), and their personal fallback PIN
(the admin sets it here: chosen, then typed again, as the admin PIN is).

Its own widget so the people screen only places it and tells it who is selected; the
rules are ``kiosk.flows.verify`` (standing) and ``kiosk.flows.admin_pin`` (PinSetupFlow).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.errors import KioskError
from kiosk.flows.admin_pin import PinProblem, PinSetupFlow, SetupStage
from kiosk.store.admins import MIN_PIN_DIGITS
from kiosk.flows.verify import standing
from kiosk.ui.i18n import Retranslating, tr
from kiosk.ui.screens.base import button, label
from kiosk.ui.widgets.pinpad import PinPad


class PersonSignInBox(Retranslating, QWidget):
    cleared = Signal()  # a lockout was cleared: the people list reloads its status column
    editing = Signal(bool)  # the PIN pad shows: the people screen gives it the list's room

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("personSignIn")
        self.ctx = ctx
        self.person_id: int | None = None
        self.text = label("detail", untranslated=True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)  # under the person's detail, as it is
        self.clear_button: QPushButton = button("clearLockout", self.clear_lockout)
        self.pin_button: QPushButton = button("setPersonPin", self.start_pin)
        self.cancel_button: QPushButton = button("cancel", self.cancel_pin)
        self.pad = PinPad(self)
        self.pad.submitted.connect(self._pin_typed)
        self.pad.hide()
        self.setup: PinSetupFlow | None = None
        self._message = ""
        # The standing, its buttons below (a 762 px window has no width for them beside it);
        # while a PIN is typed, the pad beside the words instead (a 1280x800 tablet has no
        # height for the pad below them).
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.pin_button)
        keys = QVBoxLayout()
        keys.addStretch(1)  # the pad at its own height, in the middle of the room it was given
        keys.addWidget(self.pad)
        keys.addWidget(self.cancel_button)
        keys.addStretch(1)
        layout.addWidget(self.text, 0, 0)
        layout.addLayout(buttons, 1, 0)
        layout.addLayout(keys, 0, 1, 2, 1)
        layout.setColumnStretch(0, 1)
        self.cancel_button.hide()
        self.name = ""
        self.retranslate()

    def show_person(self, person_id: int | None, name: str = "") -> None:
        self.name = name
        if person_id != self.person_id:
            self.setup, self._message = None, ""
            self._show_pad(False)
        self.person_id = person_id
        self.retranslate()

    def retranslate(self) -> None:
        self.clear_button.setText(tr("Clear lockout"))
        self.pin_button.setText(tr("Set personal PIN"))
        self.cancel_button.setText(tr("Cancel"))
        if self.person_id is None or self.ctx.registry is None:
            return
        try:
            s = standing(self.ctx.registry, self.person_id, self.ctx.wall_clock())
        except KioskError as exc:
            self.text.setText(exc.message)
            return
        lines = [self.name] if self.setup is not None else []  # the list and the detail are hidden then
        lines.append(tr("Personal PIN set") if s.has_pin else tr("No personal PIN"))
        if s.clearable:
            lines.append(tr("Failed sign-ins in a row: {face} by face, {pin} by PIN").format(face=s.face_failures, pin=s.pin_failures))
        if s.wait_s:
            lines.append(tr("Locked for {s} more seconds").format(s=s.wait_s))
        if self.setup is not None:
            stage = tr("Choose a PIN of at least {n} digits").format(n=MIN_PIN_DIGITS) if self.setup.stage == SetupStage.CHOOSE else tr("Type the same PIN again")
            lines.append(stage)
        problems = {
            PinProblem.TOO_SHORT: tr("The PIN needs at least {n} digits.").format(n=MIN_PIN_DIGITS),
            PinProblem.MISMATCH: tr("The two PINs were different. Start again."),
            "saved": tr("The personal PIN was saved."),
            "cleared": tr("The lockout was cleared."),
        }
        if self._message:
            lines.append(problems.get(self._message, self._message))
        self.text.setText("\n".join(lines))
        self.clear_button.setEnabled(s.clearable)

    def clear_lockout(self) -> None:
        if self.person_id is None:
            return
        try:
            self.ctx.model.services.require_registry().clear_signin_lock(self.person_id)
            self._message = "cleared"
        except KioskError as exc:
            self._message = exc.message
        self.retranslate()
        self.cleared.emit()

    @property
    def typing_pin(self) -> bool:
        return self.setup is not None

    def cancel_pin(self) -> None:
        self.setup, self._message = None, ""
        self._show_pad(False)
        self.retranslate()

    def start_pin(self) -> None:
        self.setup, self._message = PinSetupFlow(), ""
        self.pad.clear()
        self._show_pad(True)
        self.retranslate()

    def _show_pad(self, shown: bool) -> None:
        if shown != self.pad.isVisibleTo(self):
            # The room first, then the pad: shown beside the list even for a moment, its
            # height would make the window grow past the screen, and it would stay so.
            if shown:
                self.editing.emit(True)
            for w in (self.pad, self.cancel_button):
                w.setVisible(shown)
            for w in (self.clear_button, self.pin_button):
                w.setVisible(not shown)
            if not shown:
                self.editing.emit(False)

    def _pin_typed(self, pin: str) -> None:
        if self.setup is None or self.person_id is None:
            return
        for ch in pin:
            self.setup.entry.press(ch)
        chosen = self.setup.submit()
        self._message = self.setup.problem or ""
        if chosen is not None:
            try:
                self.ctx.model.services.require_registry().set_person_pin(self.person_id, chosen)
                self._message = "saved"
            except KioskError as exc:
                self._message = exc.message
            self.setup = None
            self._show_pad(False)
        self.retranslate()
