"""The view of navigation: one ``QStackedWidget`` holding every screen, addressed by ``ScreenName``.

Which screen shows is the model's (``KioskModel.navigate`` applies the admin guard and
publishes ``ScreenChanged``); the ``Navigator`` subscribes and shows that widget.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QSize, Signal
from PySide6.QtWidgets import QStackedWidget, QWidget

from kiosk.app.events import ModelEvent, ScreenChanged
from kiosk.app.model import KioskModel
from kiosk.app.screens import ScreenName
from kiosk.ui.screens.base import Screen

__all__ = ["Navigator", "ScreenName", "ScreenStack"]  # ScreenName is the model's (kiosk/app/screens.py)

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
    """Shows the model's current screen: ``leave()`` runs on the old one, ``enter(**args)`` on the new."""

    changed = Signal(str)

    def __init__(self, stack: QStackedWidget, model: KioskModel) -> None:
        super().__init__(stack)
        self.stack = stack
        self.model = model
        self._screens: dict[ScreenName, Screen] = {}
        model.events.connect(self._model_event)  # first to connect: a screen shows before others hear of it

    def add(self, screen: Screen) -> Screen:
        self._screens[screen.name] = screen
        self.stack.addWidget(screen)
        return screen

    def screen(self, name: ScreenName) -> Screen:
        return self._screens[name]

    @property
    def current(self) -> Screen | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, Screen) else None

    @property
    def current_name(self) -> str:
        current = self.current
        return current.name if current is not None else ""

    def go(self, name: ScreenName, **kwargs: Any) -> Screen:
        """Ask the model for ``name``; the screen that shows (the guard may have chosen another)."""
        return self._screens[self.model.navigate(name, **kwargs)]

    def _model_event(self, event: ModelEvent) -> None:
        if isinstance(event, ScreenChanged):
            self._show(event.name, dict(event.args))

    def _show(self, name: ScreenName, args: dict[str, Any]) -> None:
        target = self._screens[name]
        old = self.current
        if old is not None and old is not target:
            old.leave()
        self.stack.setCurrentWidget(target)
        target.enter(**args)
        self.changed.emit(name)
