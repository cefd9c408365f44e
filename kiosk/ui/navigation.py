"""Navigation controller: one ``QStackedWidget`` holding every screen, addressed by name."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QStackedWidget

from kiosk.ui.screens.base import Screen

log = logging.getLogger(__name__)


class Navigator(QObject):
    """Shows one screen at a time; ``leave()`` runs on the old one, ``enter(**kw)`` on the new."""

    changed = Signal(str)

    def __init__(self, stack: QStackedWidget) -> None:
        super().__init__(stack)
        self.stack = stack
        self._screens: dict[str, Screen] = {}
        # Returns the name of the screen to show instead (the PIN pad for a signed-out admin screen), or None.
        self.guard: Callable[[Screen], str | None] = lambda screen: None

    def add(self, screen: Screen) -> Screen:
        self._screens[screen.name] = screen
        self.stack.addWidget(screen)
        return screen

    def screen(self, name: str) -> Screen:
        return self._screens[name]

    def screens(self) -> list[Screen]:
        return list(self._screens.values())

    @property
    def current(self) -> Screen | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, Screen) else None

    @property
    def current_name(self) -> str:
        current = self.current
        return current.name if current is not None else ""

    def go(self, name: str, **kwargs: Any) -> Screen:
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
