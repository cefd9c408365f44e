"""Navigation controller: one ``QStackedWidget`` holding every screen, addressed by ``ScreenName``."""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QSize, Signal
from PySide6.QtWidgets import QStackedWidget, QWidget

from kiosk.ui.screens.base import Screen

S = TypeVar("S", bound=Screen)

log = logging.getLogger(__name__)


class ScreenName(StrEnum):
    """Every screen of the kiosk; a ``str``, so the ``changed`` signal and logs carry it as text."""

    SPLASH = "splash"
    ATTRACT = "attract"
    LOGIN = "login"
    RESULT = "result"
    LOOKALIKE = "lookalike"
    PIN = "pin"
    ADMIN_HOME = "admin_home"
    ENROLL = "enroll"
    PEOPLE = "people"
    SETTINGS = "settings"
    AUDIT = "audit"
    OUT_OF_ORDER = "out_of_order"
    OPERATOR = "operator"
    DASHBOARD = "dashboard"
    ATTENDANCE = "attendance"
    CLAIM = "claim"  # card + face: the id first (keypad or badge)
    VERIFY_RESULT = "verify_result"
    FALLBACK_PIN = "fallback_pin"
    TEACH = "teach"


class ScreenStack(QStackedWidget):
    """A stack whose size needs are the showing screen's alone.

    ``QStackedWidget`` asks for the largest minimum of all its pages, so one tall screen
    (the PIN pad) kept the whole window at 960 px and no screen could fit a 1280x800
    tablet (issue 15). Pages that are not showing have no say; the one about to show has
    its adaptive boxes turned for this window first (``Screen.fit_to``).
    """

    def __init__(self) -> None:
        super().__init__()
        self.currentChanged.connect(lambda _i: self.updateGeometry())

    def setCurrentWidget(self, widget: QWidget) -> None:  # noqa: N802 - Qt name
        # A page keeps the layout it had when it last showed (or none, never shown): turned for
        # this window first, its size needs are this orientation's, not a 960 px portrait stack's.
        if isinstance(widget, Screen):
            widget.fit_to(self.size())
        super().setCurrentWidget(widget)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        current = self.currentWidget()
        return current.sizeHint() if current is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        current = self.currentWidget()
        return current.minimumSizeHint() if current is not None else super().minimumSizeHint()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        current = self.currentWidget()
        return current.hasHeightForWidth() if current is not None else False

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        current = self.currentWidget()
        return current.heightForWidth(width) if current is not None else -1


class Navigator(QObject):
    """Shows one screen at a time; ``leave()`` runs on the old one, ``enter(**kw)`` on the new."""

    changed = Signal(str)

    def __init__(self, stack: QStackedWidget) -> None:
        super().__init__(stack)
        self.stack = stack
        self._screens: dict[ScreenName, Screen] = {}
        # Returns the name of the screen to show instead (the PIN pad for a signed-out admin screen), or None.
        self.guard: Callable[[Screen], ScreenName | None] = lambda screen: None

    def add(self, screen: Screen) -> Screen:
        self._screens[screen.name] = screen
        self.stack.addWidget(screen)
        return screen

    def screen(self, name: ScreenName) -> Screen:
        return self._screens[name]

    def screen_as(self, name: ScreenName, kind: type[S]) -> S:
        """The screen ``name`` as its own class, so its own methods type-check at the call."""
        screen = self._screens[name]
        if not isinstance(screen, kind):
            raise TypeError(f"screen {name} is a {type(screen).__name__}, not a {kind.__name__}")
        return screen

    @property
    def current(self) -> Screen | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, Screen) else None

    @property
    def current_name(self) -> str:
        current = self.current
        return current.name if current is not None else ""

    def go(self, name: ScreenName, **kwargs: Any) -> Screen:
        redirect = self.guard(self._screens[name])
        if redirect is not None and redirect != name:
            name, kwargs = redirect, {}
        target = self._screens[name]
        old = self.current
        if old is not None and old is not target:
            old.leave()
        self.stack.setCurrentWidget(target)
        target.enter(**kwargs)
        log.info("screen %s", name)  # with -v, the path a smoke run took (scripts/windows_smoke.sh)
        self.changed.emit(name)
        return target
