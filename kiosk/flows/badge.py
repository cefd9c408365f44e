"""Keyboard-wedge badge readers: telling a card or QR swipe from a person typing.

A USB badge or QR reader is a keyboard: it "types" the id and Enter. Such input must
work on the attract screen with nothing focused and must never be taken for a person
at a keyboard. The difference is timing: a reader sends its characters a few
milliseconds apart (1-15 ms measured on common HID wedges), a person types 100 ms or
more apart (the fastest typists average about 60 ms between keys). ``BadgeReader``
keeps the characters of one fast burst and yields the id when Enter ends it; a slow
gap starts a new burst, so a person typing never yields anything. Plain Python with
timestamps passed in (seconds), so it is tested with synthetic timings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_GAP_S = 0.050  # longest gap between a reader's keys (wedges: a few ms; people: 100+ ms)
MIN_LENGTH = 3  # shorter bursts are chance (two keys pressed together), never an id
MAX_LENGTH = 64
ENTER = "\n"


@dataclass
class BadgeReader:
    """Feed every key press (``feed``); a complete fast burst ending in Enter returns the id."""

    max_gap_s: float = MAX_GAP_S
    min_length: int = MIN_LENGTH
    _chars: list[str] = field(default_factory=list)
    _last: float | None = None

    def feed(self, char: str, time_s: float) -> str | None:
        """``char``: one typed character, or ``ENTER``. Returns the badge id, or None."""
        fast = self._last is not None and 0 <= time_s - self._last <= self.max_gap_s  # a clock that wrapped is slow
        self._last = time_s
        if char == ENTER:
            burst = "".join(self._chars) if fast else ""
            self._chars.clear()
            return burst if len(burst) >= self.min_length else None
        if not _id_char(char):
            self._chars.clear()
            return None
        if not fast:
            self._chars.clear()  # a pause: whatever came before was not one reader's burst
        if len(self._chars) < MAX_LENGTH:
            self._chars.append(char)
        return None

    @property
    def pending(self) -> bool:
        """A burst has begun (its keys must not reach a text field as typing)."""
        return bool(self._chars)

    def reset(self) -> None:
        self._chars.clear()
        self._last = None


def _id_char(char: str) -> bool:
    """What badge and QR ids are made of: letters, digits and a few separators."""
    return len(char) == 1 and char.isascii() and (char.isalnum() or char in "-_.:/")
