"""A date field for a finger: a large button showing the date that opens a month to tap on.

``QDateEdit`` edits by typing into sections and opens its calendar only from a small arrow,
which a touchscreen user misses; this button opens the calendar wherever it is tapped.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QLocale, QPoint, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QTextCharFormat
from PySide6.QtWidgets import QCalendarWidget, QPushButton

FORMAT = "yyyy-MM-dd"


class DateButton(QPushButton):
    dateChanged = Signal(QDate)  # noqa: N815 - the QDateEdit name, so callers read the same

    def __init__(self, date: QDate) -> None:
        super().__init__()
        self.setObjectName("dateButton")
        self.setMinimumHeight(64)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._date = date
        # A child (a popup window still), so it dies with the button: a parentless calendar lived
        # until Python's cycle collector freed it, at any moment, even while Qt walked every
        # widget (a style sheet change), which then read freed memory (segfault in the test suite).
        self.calendar = QCalendarWidget(self)
        self.calendar.setWindowFlags(Qt.WindowType.Popup)  # closes on a tap outside it
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        header = QTextCharFormat()  # the style sheet's light text on the platform's light header was unreadable
        header.setForeground(QBrush(QColor("#eef2f6")))
        header.setBackground(QBrush(QColor("#263240")))
        self.calendar.setHeaderTextFormat(header)
        self.calendar.setMinimumWidth(560)
        self.calendar.clicked.connect(self._picked)
        self.clicked.connect(lambda _=False: self.open_calendar())
        self._show()

    def set_language(self, language: str) -> None:
        """Month and day names in the kiosk's language (``en`` or ``ko``), not the computer's."""
        self.calendar.setLocale(QLocale(QLocale.Language.Korean if language == "ko" else QLocale.Language.English))

    def date(self) -> QDate:
        return self._date

    def setDate(self, date: QDate) -> None:  # noqa: N802 - the QDateEdit name
        if date != self._date:
            self._date = date
            self._show()
            self.dateChanged.emit(date)

    def open_calendar(self) -> None:
        self.calendar.setSelectedDate(self._date)
        self.calendar.move(self.mapToGlobal(QPoint(0, self.height())))
        self.calendar.adjustSize()
        self.calendar.show()

    def _picked(self, date: QDate) -> None:
        self.calendar.hide()
        self.setDate(date)

    def _show(self) -> None:
        self.setText(self._date.toString(FORMAT))
