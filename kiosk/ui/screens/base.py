"""Base class of every screen: translation hook, enter/leave, and camera callbacks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QPushButton, QScroller, QVBoxLayout, QWidget

from kiosk.app.screens import ScreenName
from kiosk.ui.i18n import Retranslating

if TYPE_CHECKING:
    from PySide6.QtGui import QImage

    from kiosk.capture.commands import CameraState
    from kiosk.capture.types import CaptureResult, FrameReport
    from kiosk.registry import Registry
    from kiosk.ui.context import AppContext


class Screen(Retranslating, QWidget):
    """A full-window page. Subclasses set ``name``, build widgets, and fill texts in ``retranslate``.

    ``retranslate`` runs on every ``LanguageChange``, so switching language re-renders
    every visible string. ``on_frame`` and ``on_source_state`` reach the screen that is
    showing; ``on_report``, ``on_progress`` and ``on_result`` reach only the screen that
    started the capture (``KioskModel.handle`` routes them to its owner). Which screens
    need the admin signed in is ``kiosk.app.screens.ADMIN_SCREENS``.
    """

    name: ScreenName  # each screen sets its own
    # Screens the idle timer leaves alone (they end by themselves or must not be skipped).
    idle_exempt = False

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName(f"screen_{self.name}")
        self._adaptive: list[QBoxLayout] = []

    @property
    def registry(self) -> Registry:
        """The open registry, typed: a screen that uses it is reached only after the services
        opened, and one reached earlier gets a named error (``ServicesNotOpenError``)."""
        return self.ctx.model.services.require_registry()

    def keypad_page(self, texts: Sequence[QWidget], keys: Sequence[QWidget]) -> None:
        """The page of a keypad screen (admin PIN, the visitor's ID, their personal PIN): texts above
        the pad on a portrait screen, beside it on a landscape one (stacked, they need 960 px of
        height and a 1280x800 tablet has 800, issue 15); the pad and its buttons centred."""
        text_box = QVBoxLayout()
        text_box.addStretch(1)
        for widget in texts:
            text_box.addWidget(widget)
        text_box.addStretch(1)
        key_box = QVBoxLayout()
        for widget in keys:
            key_box.addWidget(widget)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addLayout(key_box, 3)
        row.addStretch(1)
        box = self.adaptive_box()
        box.addLayout(text_box, 1)
        box.addLayout(row, 1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(box)
        layout.addStretch(1)

    def adaptive_box(self) -> QBoxLayout:
        """A box that stacks vertically on a portrait screen and side by side on a landscape one."""
        box = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self._adaptive.append(box)
        return box

    def fit_to(self, size: QSize) -> None:
        """Turn the adaptive boxes for a page of ``size`` (landscape: side by side)."""
        direction = QBoxLayout.Direction.LeftToRight if size.width() > size.height() else QBoxLayout.Direction.TopToBottom
        for box in self._adaptive:
            box.setDirection(direction)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.fit_to(event.size())
        super().resizeEvent(event)

    def enter(self, **kwargs: Any) -> None:
        """Called each time the screen is shown."""

    def leave(self) -> None:
        """Called when another screen replaces this one."""

    def on_frame(self, image: QImage) -> None:
        """Newest camera frame (QImage)."""

    def on_report(self, report: FrameReport) -> None:
        """Per-frame capture feedback (FrameReport)."""

    def on_progress(self, done: int, total: int) -> None:
        """Good frames collected so far out of those needed."""

    def on_result(self, result: CaptureResult) -> None:
        """A finished capture (CaptureResult)."""

    def on_source_state(self, state: CameraState) -> None:
        """Camera state: opening | live | lost | ended."""


def label(object_name: str = "", wrap: bool = True, untranslated: bool = False) -> QLabel:
    """A centred, word-wrapped label; ``untranslated`` marks data (names, numbers) rather than words."""
    widget = QLabel()
    if object_name:
        widget.setObjectName(object_name)
    widget.setWordWrap(wrap)
    widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
    if untranslated:
        widget.setProperty("untranslated", True)
    return widget


def touch_scroll(area) -> None:
    """Drag-to-scroll with momentum: a finger on a kiosk cannot aim at a scroll bar."""
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)


def button(object_name: str = "", slot=None, primary: bool = False) -> QPushButton:
    widget = QPushButton()
    if object_name:
        widget.setObjectName(object_name)
    if primary:
        widget.setProperty("role", "primary")
    widget.setMinimumHeight(64)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    if slot is not None:
        widget.clicked.connect(lambda _=False: slot())
    return widget
