"""Trends for the admin: sign-ins per hour and per day, speed, camera, picture problems.

One view at a time behind four large buttons, one chart or four figures per view, large
fonts, no chart input (a finger only switches views). The figures are
``kiosk/flows/report.py``'s, the charts ``kiosk/ui/charts.py``'s, imported when the
screen first has figures to draw (pyqtgraph must not slow the kiosk's cold start).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QStackedWidget, QVBoxLayout, QWidget

from kiosk.clock import local_now
from kiosk.errors import KioskError
from kiosk.flows import report
from kiosk.ui.i18n import tr, trn
from kiosk.ui.navigation import ScreenName
from kiosk.ui.screens.base import Screen, button, label
from kiosk.ui.texts import outcome_text, problem_text

HOUR_LABEL_EVERY = 3
DAY_LABEL_EVERY = 7
WIDE_PX = 1200  # from this width the four view buttons sit in one row, else two by two


def seconds_text(ms: float | None) -> str:
    return "—" if ms is None else tr("{seconds} s").format(seconds=f"{ms / 1000:.1f}")


def share_text(share: float | None, *, round_down: bool = False) -> str:
    """``round_down`` for availability: a camera down 20 minutes in 30 days reads 99.9 %, not 100.0 %."""
    if share is None:
        return "—"
    percent = report.availability_percent(share) if round_down else share * 100
    return f"{percent:.1f} %"


class _ChartTab(QWidget):
    """A caption, one chart (replaced on each refresh) and, for outcomes, a colour legend."""

    def __init__(self, legend: bool) -> None:
        super().__init__()
        self.caption = label("subtitle")
        self.legend = QGridLayout()
        self.legend_labels: dict[str, Any] = {}
        self.chart: QWidget | None = None
        self.box = QVBoxLayout(self)
        self.box.addWidget(self.caption)
        if legend:
            for outcome in report.OUTCOMES:
                lab = label("legend", wrap=True)
                lab.setTextFormat(Qt.TextFormat.RichText)
                self.legend_labels[outcome] = lab
            self.place_legend(2)
            self.box.addLayout(self.legend)

    def place_legend(self, columns: int) -> None:
        for i, lab in enumerate(self.legend_labels.values()):
            self.legend.addWidget(lab, i // columns, i % columns)

    def set_chart(self, chart: QWidget) -> None:
        if self.chart is not None:
            self.box.removeWidget(self.chart)
            self.chart.deleteLater()
        self.chart = chart
        self.box.insertWidget(1, chart, 1)
        # A chart drawn while its view is not the one showing (a refresh, a language change)
        # stayed hidden when that view was chosen later (screenshots showed the caption alone).
        chart.show()

    def retranslate_legend(self, colours: dict[str, str]) -> None:
        for outcome, lab in self.legend_labels.items():
            lab.setText(f'<span style="color:{colours[outcome]}">&#9632;</span> {outcome_text(outcome)}')


class DashboardScreen(Screen):
    name = ScreenName.DASHBOARD

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.figures: report.Figures | None = None
        self._now: dt.datetime | None = None  # a fixed "now" (tests, screenshots); else the clock
        self._error = ""
        self._colours: dict[str, str] = {}  # the charts' outcome colours, once they are drawn
        self.title = label("title")
        self.empty = label("subtitle")
        self.empty_detail = label("detail")
        empty_page = QWidget()
        empty_box = QVBoxLayout(empty_page)
        empty_box.addStretch(1)
        empty_box.addWidget(self.empty)
        empty_box.addWidget(self.empty_detail)
        empty_box.addStretch(2)
        self.hours = _ChartTab(legend=True)
        self.days = _ChartTab(legend=True)
        self.problems = _ChartTab(legend=False)
        self.speed = QWidget()
        speed_grid = QGridLayout(self.speed)  # time to a decision on the first row, the camera on the second
        self.figure_captions: dict[str, Any] = {}
        self.figure_values: dict[str, Any] = {}
        for i, key in enumerate(("median", "p90", "camera_24h", "camera_days")):
            self.figure_captions[key] = label("statCaption")
            self.figure_values[key] = label("statValue", untranslated=True)
            speed_grid.addWidget(self.figure_captions[key], 2 * (i // 2), i % 2, Qt.AlignmentFlag.AlignBottom)
            speed_grid.addWidget(self.figure_values[key], 2 * (i // 2) + 1, i % 2, Qt.AlignmentFlag.AlignTop)
        # One view at a time, chosen by big buttons (a tab bar's tabs are too small for a
        # finger and do not fit four to a row at 762 px in either language).
        self.views = QStackedWidget()
        self.view_buttons = QButtonGroup(self)
        self.view_grid = QGridLayout()
        for i, view in enumerate((self.hours, self.days, self.speed, self.problems)):
            self.views.addWidget(view)
            b = button(f"view{i}")
            b.setCheckable(True)
            b.setProperty("role", "view")
            self.view_buttons.addButton(b, i)
        self.view_buttons.idClicked.connect(self.views.setCurrentIndex)
        self.view_buttons.button(0).setChecked(True)
        self._place_view_buttons(2)
        figures_page = QWidget()
        figures_box = QVBoxLayout(figures_page)
        figures_box.setContentsMargins(0, 0, 0, 0)
        figures_box.addLayout(self.view_grid)
        figures_box.addWidget(self.views, 1)
        self.pages = QStackedWidget()
        self.pages.addWidget(empty_page)
        self.pages.addWidget(figures_page)
        self.back_button = button("back", lambda: self.ctx.go(ScreenName.ADMIN_HOME))
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.back_button)
        self.retranslate()

    def _place_view_buttons(self, columns: int) -> None:
        for i, b in enumerate(self.view_buttons.buttons()):
            self.view_grid.addWidget(b, i // columns, i % columns)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        columns = 4 if self.width() >= WIDE_PX else 2
        self._place_view_buttons(columns)
        for tab in (self.hours, self.days):
            tab.place_legend(columns)
        super().resizeEvent(event)

    def show_view(self, index: int) -> None:
        self.view_buttons.button(index).setChecked(True)
        self.views.setCurrentIndex(index)

    def enter(self, now: dt.datetime | None = None, **kwargs: Any) -> None:
        self._now = now
        self.refresh()

    def refresh(self) -> None:
        self.figures, self._error = None, ""
        if self.ctx.registry is not None:
            now = self._now or local_now()
            try:
                self.figures = report.compute(self.ctx.registry.trend_rows, now)
            except KioskError as exc:
                self._error = exc.message
        self.retranslate()

    def _draw(self) -> None:
        """The charts anew: on each refresh and each language change (the reasons' names are words)."""
        from kiosk.ui import charts

        f = self.figures
        if f is None:  # nothing read (yet, or the read failed): no charts
            return
        self.hours.set_chart(charts.outcome_chart([b.counts for b in f.hourly], [b.start.strftime("%H") for b in f.hourly], HOUR_LABEL_EVERY))
        self.days.set_chart(charts.outcome_chart([b.counts for b in f.daily], [b.start.strftime("%m/%d") for b in f.daily], DAY_LABEL_EVERY))
        self.problems.set_chart(charts.reasons_chart(f.rejected, {k: problem_text(k) for k in f.rejected}))
        self._colours = charts.OUTCOME_COLOURS

    def retranslate(self) -> None:
        self.title.setText(tr("Trends"))
        self.back_button.setText(tr("Back"))
        for i, text in enumerate((tr("Last 24 hours"), trn("Last %n day(s)", report.DEFAULT_DAYS), tr("Speed and camera"), tr("Picture problems"))):
            self.view_buttons.button(i).setText(text)
        f = self.figures
        self.pages.setCurrentIndex(0 if f is None or f.empty else 1)
        self.empty.setText(tr("No sign-ins yet"))
        self.empty_detail.setText(self._error or tr("The figures appear here after the first sign-in."))
        if f is None or f.empty:
            return
        self._draw()
        for tab, buckets in ((self.hours, f.hourly), (self.days, f.daily)):
            total = sum(b.total for b in buckets)
            accepted = sum(b.counts["accept"] for b in buckets)
            text = trn("%n sign-in(s)", total)
            if total:
                text += " · " + tr("{share} accepted").format(share=share_text(accepted / total))
            tab.caption.setText(text)
        for tab in (self.hours, self.days):
            tab.retranslate_legend(self._colours)
        self.problems.caption.setText(
            trn("Frames rejected, per reason, of %n frame(s) with a face", f.frames_with_face)
            if f.rejected
            else tr("No frame with a face was rejected.")
        )
        captions = {
            "median": tr("Median time to a decision"),
            "p90": tr("9 in 10 decided within"),
            "camera_24h": tr("Camera live, last 24 hours"),
            "camera_days": trn("Camera live, last %n day(s)", f.days),
        }
        values = {
            "median": seconds_text(f.median_ms),
            "p90": seconds_text(f.p90_ms),
            "camera_24h": share_text(f.camera_live_24h, round_down=True),
            "camera_days": share_text(f.camera_live, round_down=True),
        }
        for key, text in captions.items():
            self.figure_captions[key].setText(text)
            self.figure_values[key].setText(values[key])
