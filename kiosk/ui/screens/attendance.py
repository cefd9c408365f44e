"""Attendance export: a period, a preview per person per day, and the CSV or XLSX file.

The rows are ``kiosk.flows.timesheet``'s, as ``kiosk attendance export`` writes them; the
file goes to ``<data>/exports/`` like the audit log's CSV.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QTableWidgetItem

from kiosk.clock import local_now
from kiosk.errors import KioskError
from kiosk.flows import timesheet
from kiosk.ui.i18n import tr, trn
from kiosk.ui.navigation import ScreenName
from kiosk.ui.screens.records import RecordsScreen
from kiosk.ui.widgets.columns import breakable
from kiosk.ui.widgets.date_button import DateButton

DEFAULT_DAYS = 7  # the period first shown: the last week, today included
MISSING_COLOUR = QColor("#ffb74d")


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def _clock(moment: dt.datetime | None, day: dt.date) -> str:
    """"09:02", or "06:15 (+1)" for a time on a later day (a night shift's OUT)."""
    if moment is None:
        return ""
    later = (moment.date() - day).days
    return moment.strftime("%H:%M") + (f" (+{later})" if later else "")


class AttendanceScreen(RecordsScreen):
    name = ScreenName.ATTENDANCE

    def __init__(self, ctx) -> None:
        super().__init__(ctx, 7, fixed={2, 3, 4, 5}, export_primary=True)
        today = local_now().date()
        self.first = self._date_edit(today - dt.timedelta(days=DEFAULT_DAYS - 1))
        self.last = self._date_edit(today)
        self.format = QComboBox()
        self.format.setMinimumHeight(64)
        self.first_label, self.last_label, self.format_label = QLabel(), QLabel(), QLabel()
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.first_label, self.first)
        form.addRow(self.last_label, self.last)
        form.addRow(self.format_label, self.format)
        self.lay_out(form)
        self.rows: list[timesheet.DayRow] = []
        self.retranslate()

    def _date_edit(self, day: dt.date) -> DateButton:
        edit = DateButton(_qdate(day))
        edit.dateChanged.connect(lambda _d: self.refresh())
        return edit

    def retranslate(self) -> None:
        self.title.setText(tr("Attendance"))
        self.first_label.setText(tr("From"))
        self.last_label.setText(tr("To (included)"))
        self.format_label.setText(tr("File type"))
        for edit in (self.first, self.last):
            edit.set_language(self.ctx.languages.language)
        current = self.format.currentData()
        self.format.blockSignals(True)
        self.format.clear()
        self.format.addItem(tr("Spreadsheet (XLSX)"), timesheet.Format.XLSX.value)
        self.format.addItem(tr("Text (CSV)"), timesheet.Format.CSV.value)
        self.format.setCurrentIndex(max(0, self.format.findData(current)))
        self.format.blockSignals(False)
        self.table.setHorizontalHeaderLabels([tr("ID"), tr("Name"), tr("Date"), tr("First IN"), tr("Last OUT"), tr("Worked"), tr("Missing")])
        self.export_button.setText(tr("Export"))
        self.back_button.setText(tr("Back"))
        self._fill_table()
        flagged = sum(1 for r in self.rows if r.missing)
        self.status.setText(self.status_text(trn("%n person-day(s)", len(self.rows)) + (" · " + trn("%n with a missing punch", flagged) if flagged else "")))

    def enter(self, **kwargs: Any) -> None:
        self._status = ("", "")
        self.refresh()

    def refresh(self) -> None:
        if self.ctx.registry is None:
            return
        self._status = ("", "")
        now = local_now()
        first, last = _day(self.first.date()), _day(self.last.date())
        self.rows = []
        if last < first:
            self._status = ("error", tr("The last day is before the first."))
        elif (last - first).days >= timesheet.MAX_DAYS:
            self._status = ("error", trn("At most %n day(s) at a time.", timesheet.MAX_DAYS))
        else:
            try:
                self.rows = timesheet.compute(self.ctx.registry.punches_between, first, last, now.tzinfo, now)  # type: ignore[arg-type]
            except KioskError as exc:
                self._status = ("error", str(exc))
        self.export_button.setEnabled(self._status[0] != "error")
        self.retranslate()

    def _missing_text(self, row: timesheet.DayRow) -> str:
        parts = ([tr("IN")] if row.missing_in else []) + ([tr("OUT")] if row.missing_out else [])
        return ", ".join(parts)

    def _fill_table(self) -> None:
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            cells = [row.external_id, breakable(row.name), row.day.isoformat(), _clock(row.first_in, row.day), _clock(row.last_out, row.day), row.worked_text, self._missing_text(row)]
            for c, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if row.missing:
                    item.setForeground(MISSING_COLOUR)  # a day to look at stands out, as in the XLSX
                self.table.setItem(r, c, item)
        self.columns.fit()

    def export(self) -> None:
        fmt = timesheet.Format(self.format.currentData() or timesheet.Format.XLSX.value)
        first, last = _day(self.first.date()), _day(self.last.date())
        target = self.export_target(f"attendance-{first}-{last}.{fmt.value}")
        self.save_export(target, lambda path: timesheet.write(path, self.rows, fmt), "attendance_export", f"{first}..{last}: {len(self.rows)} rows")
