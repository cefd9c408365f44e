"""On-screen keyboard for a kiosk without a physical one: Latin, digits and Hangul.

Typing goes to the current target ``QLineEdit``; Hangul jamo are composed into
syllables by ``HangulComposer`` (a touchscreen kiosk has no OS input method).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.ui.hangul import HangulComposer
from kiosk.ui.i18n import Retranslating, tr

LATIN_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")
HANGUL_ROWS = ("1234567890", "ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔ", "ㅁㄴㅇㄹㅎㅗㅓㅏㅣ", "ㅋㅌㅊㅍㅠㅜㅡ")
HANGUL_SHIFT = {"ㅂ": "ㅃ", "ㅈ": "ㅉ", "ㄷ": "ㄸ", "ㄱ": "ㄲ", "ㅅ": "ㅆ", "ㅐ": "ㅒ", "ㅔ": "ㅖ"}


class TouchKeyboard(Retranslating, QWidget):
    done = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyboard")
        self.target: QLineEdit | None = None
        self.composer = HangulComposer()
        self.mode = "latin"
        self.shift = False
        self._char_keys: list[QPushButton] = []
        layout = QVBoxLayout(self)
        layout.setSpacing(6)
        layout.setContentsMargins(6, 6, 6, 6)
        for row in LATIN_ROWS:
            line = QHBoxLayout()
            line.setSpacing(6)
            for _ in row:
                button = self._key()
                button.clicked.connect(lambda _=False, b=button: self._type_key(b.text()))
                self._char_keys.append(button)
                line.addWidget(button)
            if row is LATIN_ROWS[-1]:
                self.back_key = self._key("\u232b", self.backspace)
                line.addWidget(self.back_key)
            layout.addLayout(line)
        bottom = QHBoxLayout()
        bottom.setSpacing(6)
        self.shift_key = self._key("\u21e7", self.toggle_shift)
        self.mode_key = self._key("", self.toggle_mode)
        self.space_key = self._key("", lambda: self._type_text(" "))
        self.space_key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.dash_key = self._key("-", lambda: self._type_text("-"))
        self.dot_key = self._key(".", lambda: self._type_text("."))
        self.done_key = self._key("", self._done)
        self.done_key.setProperty("role", "primary")
        for w in (self.shift_key, self.mode_key, self.space_key, self.dash_key, self.dot_key, self.done_key):
            bottom.addWidget(w)
        layout.addLayout(bottom)
        self.retranslate()
        self._relabel()

    def _key(self, label: str = "", slot=None) -> QPushButton:
        button = QPushButton(label)
        button.setProperty("class", "key")
        button.setProperty("untranslated", True)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setMinimumSize(56, 64)
        if slot is not None:
            button.clicked.connect(lambda _=False: slot())
        return button

    def retranslate(self) -> None:
        self.space_key.setText(tr("Space"))
        self.done_key.setText(tr("Done"))
        self.mode_key.setText("ABC" if self.mode == "hangul" else "한글")

    def set_target(self, edit: QLineEdit | None) -> None:
        self.target = edit
        self.composer.reset(edit.text() if edit is not None else "")

    def toggle_mode(self) -> None:
        self.composer.commit()
        self.mode = "hangul" if self.mode == "latin" else "latin"
        self.shift = False
        self._relabel()
        self.retranslate()

    def toggle_shift(self) -> None:
        self.shift = not self.shift
        self._relabel()

    def _relabel(self) -> None:
        rows = HANGUL_ROWS if self.mode == "hangul" else LATIN_ROWS
        labels = [ch for row in rows for ch in row]
        for button, ch in zip(self._char_keys, labels + [""] * (len(self._char_keys) - len(labels))):
            if self.shift:
                ch = HANGUL_SHIFT.get(ch, ch) if self.mode == "hangul" else ch.upper()
            button.setText(ch)
            button.setVisible(bool(ch))
        self.shift_key.setProperty("active", self.shift)
        self.shift_key.style().unpolish(self.shift_key)
        self.shift_key.style().polish(self.shift_key)

    def _sync(self) -> None:
        if self.target is not None:
            self.target.setText(self.composer.text)
            self.target.setCursorPosition(len(self.composer.text))

    def _type_key(self, ch: str) -> None:
        if self.mode == "hangul":
            self.composer.feed(ch)
        else:
            self.composer.type_text(ch)
        if self.shift:
            self.shift = False
            self._relabel()
        self._sync()

    def _type_text(self, text: str) -> None:
        self.composer.type_text(text)
        self._sync()

    def type_keys(self, keys: str) -> None:
        """Press the keys showing these labels, as a finger would (scripts and tests)."""
        for ch in keys:
            if ch == " ":
                self.space_key.click()
                continue
            key = next((b for b in self._char_keys if b.isVisibleTo(self) and b.text() == ch), None)
            if key is None:
                raise ValueError(f"no key labelled {ch!r} on the {self.mode} layout")
            key.click()

    def backspace(self) -> None:
        self.composer.backspace()
        self._sync()

    def _done(self) -> None:
        self.composer.commit()
        self.done.emit()
