"""Keyboard-wedge badge and QR readers, heard on any screen without a focused field.

An application event filter sees every key press at the window (``QWindow``: each press
once, before any widget), feeds it to ``kiosk.flows.badge.BadgeReader`` with the time
it arrived, and emits ``swiped(id)`` when a reader's fast burst ends in Enter. A person
typing is never taken for a reader (the timing rule is the flow's). ``wanted()`` says
whether a swipe means anything now (login mode and screen: the window decides).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QWindow

from kiosk.flows.badge import ENTER, BadgeReader

ENTER_KEYS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter})
# A reader types capitals as Shift + letter, as a keyboard does: the Shift press is no character.
MODIFIER_KEYS = frozenset({Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta, Qt.Key.Key_AltGr, Qt.Key.Key_CapsLock})


class BadgeListener(QObject):
    swiped = Signal(str)

    def __init__(self, wanted: Callable[[], bool], clock: Callable[[], float] = time.monotonic, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.wanted = wanted
        self.clock = clock
        self.reader = BadgeReader()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(watched, QWindow)
            and isinstance(event, QKeyEvent)
            and event.key() not in MODIFIER_KEYS
        ):
            char = ENTER if event.key() in ENTER_KEYS else event.text()
            claim = self.reader.feed(char, self.clock())
            if claim is not None and self.wanted():
                self.swiped.emit(claim)
        return False
