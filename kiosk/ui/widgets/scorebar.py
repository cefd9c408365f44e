"""Where a face's match score falls against the low and high thresholds."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

LO, HI = -0.2, 1.0  # cosine range shown


class ScoreBar(QWidget):
    """Red below ``low`` (reject), amber between (retry), green above ``high`` (accept), a white tick for the score."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(56)
        self.low = 0.3
        self.high = 0.4
        self.score: float | None = None

    def set_values(self, low: float, high: float, score: float | None) -> None:
        self.low, self.high, self.score = low, high, score
        self.update()

    def _x(self, value: float) -> float:
        value = min(HI, max(LO, value))
        return (value - LO) / (HI - LO) * self.width()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        try:
            self._paint(p)
        finally:
            p.end()

    def _paint(self, p: QPainter) -> None:
        h = self.height()
        bands = ((LO, self.low, "#c62828"), (self.low, self.high, "#f9a825"), (self.high, HI, "#2e7d32"))
        for start, end, color in bands:
            p.fillRect(QRectF(self._x(start), h * 0.25, self._x(end) - self._x(start), h * 0.5), QColor(color))
        if self.score is not None:
            p.setPen(QPen(Qt.GlobalColor.white, 6))
            x = self._x(self.score)
            p.drawLine(int(x), 0, int(x), h)
