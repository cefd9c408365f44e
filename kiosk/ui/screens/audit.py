"""Audit log: a filterable table of events and export to CSV."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QTableWidgetItem

from kiosk.errors import KioskError
from kiosk.ui.audit_csv import write_csv
from kiosk.ui.i18n import tr, trn
from kiosk.ui.navigation import ScreenName
from kiosk.ui.screens.records import RecordsScreen
from kiosk.ui.texts import decision_text, detail_text, event_text
from kiosk.ui.widgets.columns import breakable

COLUMNS = ("time", "event", "person", "score", "decision", "detail")


def entry_row(entry: Any, names: dict[int, str]) -> list[str]:
    """One audit entry as cells; a person still enrolled is shown by name, a deleted one by their pseudonym."""
    person = (entry.pseudonym or "") if entry.person_id is None else names.get(entry.person_id, f"#{entry.person_id}")
    score = "" if entry.score is None else f"{entry.score:.3f}"
    return [entry.time[:19].replace("T", " "), entry.event, person, score, entry.decision or "", entry.detail or ""]


class AuditScreen(RecordsScreen):
    name = ScreenName.AUDIT

    def __init__(self, ctx) -> None:
        super().__init__(ctx, len(COLUMNS), fixed={COLUMNS.index("time"), COLUMNS.index("score")})
        self.event_filter = QComboBox()
        self.event_filter.setMinimumHeight(64)
        self.event_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.period = QComboBox()
        self.period.setMinimumHeight(64)
        self.period.currentIndexChanged.connect(lambda _i: self.refresh())
        filters = QHBoxLayout()
        filters.addWidget(self.event_filter, 1)  # event names are long ("Face models moved to the CPU")
        filters.addWidget(self.period)
        self.lay_out(filters)
        self.rows: list[list[str]] = []
        self._events: list[str] = []
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(tr("Audit log"))
        self.table.setHorizontalHeaderLabels([tr("Time"), tr("Event"), tr("Person"), tr("Score"), tr("Decision"), tr("Details")])
        self.export_button.setText(tr("Export to CSV"))
        self.back_button.setText(tr("Back"))
        self._fill_filters()
        self._fill_table()
        self.status.setText(self.status_text(trn("%n entries", len(self.rows))))

    def _fill_filters(self) -> None:
        for combo, items in (
            (self.event_filter, [(tr("All events"), None)] + [(event_text(e), e) for e in self._events]),
            (self.period, [(tr("Last 24 hours"), 1), (tr("Last 7 days"), 7), (tr("Last 30 days"), 30), (tr("Everything"), None)]),
        ):
            current = combo.currentIndex()
            combo.blockSignals(True)
            combo.clear()
            for text, data in items:
                combo.addItem(text, data)
            combo.setCurrentIndex(max(0, min(current, combo.count() - 1)) if current >= 0 else 0)
            combo.blockSignals(False)

    def enter(self, **kwargs: Any) -> None:
        self._status = ("", "")
        self.refresh()

    def refresh(self) -> None:
        if self.ctx.registry is None:
            return
        self._status = ("", "")  # "Saved to ..." belongs to the rows it saved, not to a new filter's
        days = self.period.currentData()
        since = (dt.datetime.now(dt.UTC) - dt.timedelta(days=days)).isoformat() if days else None
        event = self.event_filter.currentData()
        try:
            entries = self.ctx.registry.audit_log(since=since, event=event, limit=1000)
            self._events = sorted({e.event for e in self.ctx.registry.audit_log(limit=1000)} | set(self._events))
            names = {p.id: p.name for p in self.ctx.registry.people()}
        except KioskError as exc:
            entries, names, self._status = [], {}, ("error", exc.message)
        self.rows = [entry_row(e, names) for e in entries]
        self.retranslate()

    def _fill_table(self) -> None:
        """The rows in the viewer's language (event and decision as words); the CSV keeps the names."""
        self.table.setRowCount(len(self.rows))
        shown = {
            COLUMNS.index("time"): lambda t: t.replace(" ", "\n"),  # date over time: half the width
            COLUMNS.index("event"): event_text,
            COLUMNS.index("person"): breakable,
            COLUMNS.index("decision"): decision_text,
            COLUMNS.index("detail"): lambda d: breakable(detail_text(d)),
        }
        for r, row in enumerate(self.rows):
            for c, value in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(shown[c](value) if c in shown and value else value))
        self.columns.fit()

    def export(self) -> None:
        """The rows as stored (event and decision names, details as the registry wrote them), not as shown."""
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        self.save_export(self.export_target(f"audit-{stamp}.csv"), lambda target: write_csv(target, list(COLUMNS), self.rows), "audit_export", f"{len(self.rows)} rows")
