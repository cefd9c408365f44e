"""State of the admin PIN pad: digits typed so far, and the set-a-new-PIN flow.

Kept free of Qt so the rules (digits only, minimum length, confirmation must
match) are tested directly; the widget only renders ``masked`` and the stage.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_PIN_LENGTH = 6
MAX_PIN_LENGTH = 12


@dataclass
class PinEntry:
    """Digits typed on the pad; never shown, only counted."""

    digits: str = ""
    max_length: int = MAX_PIN_LENGTH

    def press(self, key: str) -> None:
        if key.isdigit() and len(key) == 1 and len(self.digits) < self.max_length:
            self.digits += key

    def backspace(self) -> None:
        self.digits = self.digits[:-1]

    def clear(self) -> None:
        self.digits = ""

    @property
    def masked(self) -> str:
        return "\u25cf" * len(self.digits)


class PinSetupFlow:
    """First start: choose a PIN of at least ``min_length`` digits, then type it again.

    ``submit`` returns the chosen PIN once both entries match, else ``None``;
    ``problem`` then names what went wrong ("too_short" or "mismatch") for the UI.
    """

    def __init__(self, min_length: int = MIN_PIN_LENGTH) -> None:
        self.min_length = min_length
        self.entry = PinEntry()
        self.stage = "choose"  # "choose" | "confirm"
        self.problem: str | None = None
        self._first = ""

    def submit(self) -> str | None:
        pin = self.entry.digits
        self.entry.clear()
        if self.stage == "choose":
            if len(pin) < self.min_length:
                self.problem = "too_short"
                return None
            self._first, self.stage, self.problem = pin, "confirm", None
            return None
        if pin != self._first:
            self._first, self.stage, self.problem = "", "choose", "mismatch"
            return None
        self.problem = None
        return pin
