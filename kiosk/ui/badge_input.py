"""Keyboard-wedge badge and QR readers, heard on any screen without a focused field.

An application event filter sees every key press at the window (``QWindow``: each press
once, before any widget), feeds it to ``kiosk.flows.badge.BadgeReader`` with its time,
and emits ``swiped(id)`` when a reader's fast burst ends in Enter. A person typing is
never taken for a reader (the timing rule is the flow's). ``wanted()`` says whether a
swipe means anything now (login mode and screen: the window decides).

The time is the operating system's timestamp of the key event (Windows, X11 and Wayland
stamp each key in milliseconds when it happens), not when the GUI thread got to it: a
repaint of the camera preview can hold the GUI thread 50 ms and more, which would stretch
one gap of a reader's burst and squeeze the next. The offscreen and minimal platforms
(tests, screenshots) stamp nothing real, so there the ``clock`` the listener is given
stands in (the tests pass one that steps as a reader or a person would, and turn the
stamps off on any platform: QTest's key events carry made-up ones).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QWindow

from kiosk.flows.badge import ENTER, BadgeReader

ENTER_KEYS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter})
# A reader types capitals as Shift + letter, as a keyboard does: the Shift press is no character.
SYNTHETIC_PLATFORMS = frozenset({"offscreen", "minimal"})
MODIFIER_KEYS = frozenset({Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta, Qt.Key.Key_AltGr, Qt.Key.Key_CapsLock})


class BadgeListener(QObject):
    swiped = Signal(str)

    def __init__(self, wanted: Callable[[], bool], clock: Callable[[], float] = time.monotonic, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.wanted = wanted
        self.clock = clock
        self.os_timestamps = QGuiApplication.platformName() not in SYNTHETIC_PLATFORMS
        self.reader = BadgeReader()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(watched, QWindow)
            and isinstance(event, QKeyEvent)
            and event.key() not in MODIFIER_KEYS
        ):
            char = ENTER if event.key() in ENTER_KEYS else event.text()
            time_s = event.timestamp() / 1000 if self.os_timestamps else self.clock()
            claim = self.reader.feed(char, time_s)
            if claim is not None and self.wanted():
                self.swiped.emit(claim)
        return False
