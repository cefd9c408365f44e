"""A wheel that passes over a field scrolls the page, and changes the field only once it has focus.

A spin box or combo box takes every wheel turn under the pointer by default, so scrolling a
long settings page with the mouse changed the values it passed (issue 21: "Accept at or above"
went from 0.35 to -0.12 while scrolling). Guarded fields take focus by click or Tab only, and
an unfocused field hands the wheel to the scroll area around it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QApplication, QComboBox, QWidget

GUARDED = (QAbstractSpinBox, QComboBox)


class WheelGuard(QObject):
    """Event filter: a wheel over an unfocused guarded field goes to the enclosing scroll area."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() != QEvent.Type.Wheel or not isinstance(watched, QWidget) or watched.hasFocus():
            return False
        area = _scroll_area(watched)
        if area is not None:
            QApplication.sendEvent(area.verticalScrollBar(), event)
        return True  # the field never sees it


def _scroll_area(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


def guard_wheel(root: QWidget) -> WheelGuard:
    """Guard every spin box and combo box under ``root`` (and keep the filter alive with it)."""
    guard = WheelGuard(root)
    for field in root.findChildren(QWidget):
        if isinstance(field, GUARDED):
            field.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # WheelFocus would focus it on the first turn
            field.installEventFilter(guard)
    return guard
