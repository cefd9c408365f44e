"""Touch PIN pad: big digit keys, a masked display, backspace and OK."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.i18n import Retranslating, tr
from kiosk.flows.admin_pin import PinEntry


class PinPad(Retranslating, QWidget):
    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pinpad")
        self.entry = PinEntry()
        self.display = QLabel()
        self.display.setObjectName("pinDisplay")
        self.display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.display.setProperty("untranslated", True)
        grid = QGridLayout()
        grid.setSpacing(12)
        self.keys: dict[str, QPushButton] = {}
        for i, key in enumerate("123456789"):
            self._add_key(grid, key, key, i // 3, i % 3)
        self.back_key = self._add_key(grid, "back", "\u232b", 3, 0)
        self._add_key(grid, "0", "0", 3, 1)
        self.ok_key = self._add_key(grid, "ok", "OK", 3, 2)
        self.ok_key.setProperty("role", "primary")
        layout = QVBoxLayout(self)
        layout.addWidget(self.display)
        layout.addLayout(grid)
        self.retranslate()
        self._render()

    def _add_key(self, grid: QGridLayout, key: str, label: str, row: int, col: int) -> QPushButton:
        button = QPushButton(label)
        button.setProperty("class", "pinKey")
        button.setProperty("untranslated", key not in ("ok",))
        button.setMinimumSize(96, 96)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(lambda _=False, k=key: self.press(k))
        grid.addWidget(button, row, col)
        self.keys[key] = button
        return button

    def retranslate(self) -> None:
        self.ok_key.setText(tr("OK"))
        self.back_key.setAccessibleName(tr("Delete"))

    def press(self, key: str) -> None:
        if key == "back":
            self.entry.backspace()
        elif key == "ok":
            pin = self.entry.digits
            self.entry.clear()
            self._render()
            self.submitted.emit(pin)
            return
        else:
            self.entry.press(key)
        self._render()

    def type_pin(self, pin: str) -> None:
        """Tap each digit then OK, exactly as a finger would (a disabled pad ignores the taps)."""
        for ch in pin:
            self.keys[ch].click()
        self.keys["ok"].click()

    def clear(self) -> None:
        self.entry.clear()
        self._render()

    def set_keys_enabled(self, enabled: bool) -> None:
        """Locked out: keys go grey but the pad keeps its place on screen."""
        for button in self.keys.values():
            button.setEnabled(enabled)

    def _render(self) -> None:
        self.display.setText(self.entry.masked or " ")
