"""Table columns that show their cells whole: widths from the contents, words wrapped, no eliding.

Qt's own modes either size a column to its longest line (a 762 px window then scrolls the
audit log sideways by 600 px) or share the width equally (a long name is elided while the
score column stands half empty). ``ColumnFitter`` gives each column its one-line width when
the table is wide enough; when it is not, the columns that may wrap share what the fixed
ones leave, in proportion to their contents but never narrower than their longest word.
Rows grow to hold the wrapped lines. A word is broken only where ``breakable`` allows it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QHeaderView, QStyle, QTableWidget

ZWSP = "\u200b"  # a break opportunity that draws nothing
_JOINS = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[/\\_.,=:;])(?=\S)")  # aB, ABc, after / _ . ,


def breakable(text: str, longer_than: int = 12) -> str:
    """``text`` with break opportunities inside words longer than ``longer_than`` characters
    (``CPUExecutionProvider``, paths): a narrow column wraps them instead of eliding."""
    return " ".join(_JOINS.sub(ZWSP, w) if len(w) > longer_than else w for w in text.split(" "))


class ColumnFitter(QObject):
    """Refits ``table``'s columns when its viewport resizes or its cells change, and on ``fit()``;
    ``fixed`` columns never wrap."""

    def __init__(self, table: QTableWidget, fixed: Iterable[int] = ()) -> None:
        super().__init__(table)
        self.table = table
        self.fixed = frozenset(fixed)
        table.setWordWrap(True)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.viewport().installEventFilter(self)  # it narrows when rows grown by wrapping need a scroll bar
        # New cells, texts or headers: one refit once the filling is done (a table is filled cell by cell).
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self.fit)
        model = table.model()
        for signal in (model.dataChanged, model.rowsInserted, model.rowsRemoved, model.headerDataChanged, model.modelReset):
            signal.connect(lambda *_: self._pending.start())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def _longest_word(self, column: int) -> int:
        """The widest word of the column's cells, with the cell's icon (a face) and margins."""
        fm = self.table.fontMetrics()
        margin = 2 * (self.table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.table) + 1) + 2
        widest = 0
        for row in range(self.table.rowCount()):
            item = self.table.item(row, column)
            if item is None:
                continue
            icon = 0 if item.icon().isNull() else self.table.iconSize().width() + margin
            for word in re.split(rf"[\s{ZWSP}]+", item.text()):
                widest = max(widest, fm.horizontalAdvance(word) + icon)
        return widest + margin

    def fit(self) -> None:
        t, header = self.table, self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # here, not once: a screen may set a mode after
        header.setStretchLastSection(False)
        columns = range(t.columnCount())
        need = {c: max(header.sectionSizeHint(c), t.sizeHintForColumn(c)) for c in columns}
        room = t.viewport().width()
        widths = dict(need)
        if sum(need.values()) > room:
            flexible = [c for c in columns if c not in self.fixed]
            least = {c: max(header.sectionSizeHint(c), self._longest_word(c)) for c in flexible}
            budget = room - sum(need[c] for c in columns if c in self.fixed)
            while flexible:  # share in proportion to need; a column held at its longest word leaves the share
                total = sum(need[c] for c in flexible)
                share = {c: budget * need[c] / total for c in flexible}
                held = [c for c in flexible if share[c] < least[c]]
                if not held:
                    widths.update({c: int(w) for c, w in share.items()})
                    break
                for c in held:
                    widths[c] = least[c]
                    budget -= least[c]
                    flexible.remove(c)
        elif t.columnCount():
            widths[t.columnCount() - 1] += room - sum(need.values())  # the last column takes the rest
        for c, w in widths.items():
            header.resizeSection(c, w)
        t.resizeRowsToContents()
