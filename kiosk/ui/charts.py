"""The trend charts, drawn by pyqtgraph, for the dashboard screen and the HTML report.

pyqtgraph is imported by this module only, and this module only when the dashboard is
first opened or a report is written: its import costs 0.3 s unloaded (2.7 s measured on
the loaded 2-core build machine), which the cold start to the attract screen must not pay.
Charts take no input (no pan, zoom or menu: a finger on a kiosk would only move them
by accident) and use large tick fonts for a touchscreen.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QFont, QFontMetrics

OUTCOME_COLOURS = {"accept": "#43a047", "retry": "#fbc02d", "reject": "#e53935", "spoof": "#8e24aa"}
REASON_COLOUR = "#42a5f5"
MIN_PX = 160


@dataclass(frozen=True)
class Theme:
    background: str
    text: str
    grid: float  # grid line opacity
    font_px: int


SCREEN = Theme(background="#12161c", text="#eef2f6", grid=0.25, font_px=22)  # the kiosk's dark style
PAPER = Theme(background="#ffffff", text="#20262e", grid=0.2, font_px=16)  # the HTML report


def _font(theme: Theme) -> QFont:
    font = QFont()
    font.setPixelSize(theme.font_px)
    return font


def _plot(theme: Theme, left_labels: Sequence[str] = ("0000",)) -> pg.PlotWidget:
    """A plot whose axes are sized for their tick text up front: pyqtgraph grows an axis to
    fit larger text only after a first paint, and leaves out the labels of that paint (the
    HTML report's offscreen picture is exactly one paint)."""
    plot = pg.PlotWidget(background=theme.background)
    plot.setMinimumSize(MIN_PX, MIN_PX)  # its own hint (about 600 px high) would set the window's minimum
    plot.setMouseEnabled(False, False)
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.showGrid(x=False, y=True, alpha=theme.grid)
    font = _font(theme)
    metrics = QFontMetrics(font)
    for side in ("left", "bottom"):
        axis = plot.getAxis(side)
        axis.setStyle(tickFont=font, tickTextOffset=8, autoExpandTextSpace=False)
        axis.setTextPen(theme.text)
        axis.setPen(theme.text)
    plot.getAxis("bottom").setHeight(metrics.height() + 16)
    plot.getAxis("left").setWidth(max(metrics.horizontalAdvance(t) for t in left_labels) + 20)
    return plot


def nice_step(top: float, ticks: int = 5) -> float:
    """A tick step of 1, 2 or 5 times a power of ten giving about ``ticks`` ticks up to ``top``."""
    raw = max(top, 1e-9) / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def outcome_chart(
    counts: Sequence[dict[str, int]], labels: Sequence[str], label_every: int, theme: Theme = SCREEN
) -> pg.PlotWidget:
    """Stacked bars, one per hour or day, one colour per outcome (bottom: accepted)."""
    plot = _plot(theme)
    x = np.arange(len(counts), dtype=float)
    base = np.zeros(len(counts))
    for outcome, colour in OUTCOME_COLOURS.items():
        heights = np.array([c.get(outcome, 0) for c in counts], dtype=float)
        if heights.any():
            plot.addItem(pg.BarGraphItem(x=x, y0=base.copy(), height=heights, width=0.8, brush=colour, pen=pg.mkPen(None)))
        base += heights
    top = max(float(base.max()) if len(base) else 0.0, 1.0)
    step = max(1.0, nice_step(top))  # counts: whole numbers
    plot.setYRange(0, math.ceil(top / step) * step, padding=0.05)
    plot.setXRange(-0.6, len(counts) - 0.4, padding=0)
    # pyqtgraph hides a tick label that crosses the axis' end: the newest one may, into a margin kept for it.
    overhang = QFontMetrics(_font(theme)).horizontalAdvance(max(labels, key=len, default="")) // 2 + 4
    plot.getPlotItem().layout.setContentsMargins(0, 0, overhang, 0)
    plot.getAxis("bottom").setStyle(hideOverlappingLabels=overhang)
    plot.getAxis("left").setTickSpacing(step, step)
    # Labelled from the newest bar back, so the current hour or today always has its label.
    plot.getAxis("bottom").setTicks([[(i, labels[i]) for i in range(len(labels) - 1, -1, -label_every)]])
    return plot


def reasons_chart(shares: dict[str, float], names: dict[str, str], theme: Theme = SCREEN) -> pg.PlotWidget:
    """Horizontal bars, largest on top: the share (in %) of frames with a face rejected per reason."""
    keys = list(shares)[::-1]  # pyqtgraph's y grows upward: the largest share last, on top
    plot = _plot(theme, [names.get(k, k) for k in keys] or ["0"])
    plot.showGrid(x=True, y=False, alpha=theme.grid)
    values = np.array([shares[k] * 100 for k in keys], dtype=float)
    y = np.arange(len(keys), dtype=float)
    if len(keys):
        plot.addItem(pg.BarGraphItem(x0=0, y=y, width=values, height=0.6, brush=REASON_COLOUR, pen=pg.mkPen(None)))
    font = _font(theme)
    for yi, value in zip(y, values):
        text = pg.TextItem(f"{value:.1f} %", color=theme.text, anchor=(0, 0.5))
        text.setFont(font)
        text.setPos(value, yi)
        plot.addItem(text)
    top = max(float(values.max()) if len(values) else 0.0, 1.0)
    plot.setXRange(0, top * 1.3, padding=0)  # room for the value after the longest bar
    plot.setYRange(-0.6, max(len(keys), 1) - 0.4, padding=0)
    plot.getAxis("left").setTicks([[(i, names.get(k, k)) for i, k in enumerate(keys)]])
    plot.getAxis("bottom").setTickSpacing(nice_step(top * 1.3), nice_step(top * 1.3))
    return plot


def png(widget, width: int, height: int) -> bytes:
    """The widget drawn offscreen at this size, as PNG bytes (what the HTML report embeds)."""
    widget.resize(width, height)
    image = widget.grab()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())
