"""Table columns fitted to the table: one line each when there is room, wrapped words otherwise."""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

from kiosk.ui.widgets.columns import ZWSP, ColumnFitter, breakable

ROWS = [
    ("2026-12-01\n10:42:08", "Face models moved to the CPU", "detector, embedder on CPUExecutionProvider (wanted CUDAExecutionProvider)"),
    ("2026-12-01\n10:42:09", "Sign-in", "admin: wrong PIN (2 tries left before a lockout)"),
]


def test_long_identifiers_may_break_and_read_the_same():
    text = "detector on CPUExecutionProvider at /var/lib/kiosk/models"
    broken = breakable(text)
    assert broken.replace(ZWSP, "") == text
    assert f"CPU{ZWSP}Execution{ZWSP}Provider" in broken and f"/{ZWSP}var" in broken
    assert breakable("admin: wrong PIN") == "admin: wrong PIN"  # short words stay whole


def _table(qtbot, width: int) -> tuple[QTableWidget, ColumnFitter]:
    table = QTableWidget(len(ROWS), 3)
    qtbot.addWidget(table)
    table.setHorizontalHeaderLabels(["Time", "Event", "Details"])
    for r, row in enumerate(ROWS):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(breakable(text)))
    fitter = ColumnFitter(table, fixed={0})
    table.resize(width, 400)
    table.show()
    qtbot.wait(20)
    fitter.fit()
    return table, fitter


def test_a_wide_table_gives_each_column_its_line(qtbot):
    table, _ = _table(qtbot, 2400)
    header = table.horizontalHeader()
    for c in (0, 1):
        assert header.sectionSize(c) == max(header.sectionSizeHint(c), table.sizeHintForColumn(c))
    assert header.length() == table.viewport().width()  # the last column takes the rest
    assert table.horizontalScrollBar().maximum() == 0


def test_a_narrow_table_wraps_but_keeps_every_word_whole(qtbot):
    table, fitter = _table(qtbot, 420)
    header = table.horizontalHeader()
    assert header.length() <= table.viewport().width()  # no sideways scrolling
    assert header.sectionSize(0) == max(header.sectionSizeHint(0), table.sizeHintForColumn(0))  # fixed: never wraps
    for c in (1, 2):
        assert header.sectionSize(c) >= fitter._longest_word(c)
    one_line = table.fontMetrics().height()
    assert table.rowHeight(0) > 2 * one_line  # the details wrapped onto more lines, and the row grew for them
