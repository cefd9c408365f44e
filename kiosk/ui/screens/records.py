"""The frame of an admin's record tables: the audit log (``audit.py``) and the attendance export (``attendance.py``).

Both show a title, their own filters, a read-only table, a status line and Back / Export,
and both write their export file to ``<data>/exports/`` and say where (or why not).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLayout, QTableWidget, QVBoxLayout

from kiosk.errors import KioskError
from kiosk.ui.i18n import tr
from kiosk.ui.navigation import ScreenName
from kiosk.ui.screens.base import Screen, button, label, touch_scroll
from kiosk.ui.widgets.columns import ColumnFitter

if TYPE_CHECKING:
    from kiosk.ui.context import AppContext

EXPORT_FOLDER = "exports"


class RecordsScreen(Screen):
    """``_status`` is ``("", "")`` (the rows' count is shown), ``("exported", path)`` or ``("error", message)``.
    Both of these screens need the admin signed in: ``kiosk.app.screens.ADMIN_SCREENS``."""

    def __init__(self, ctx: AppContext, columns: int, fixed: set[int], export_primary: bool = False) -> None:
        super().__init__(ctx)
        self.title = label("title")
        self.table = QTableWidget(0, columns)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        touch_scroll(self.table)
        self.columns = ColumnFitter(self.table, fixed=fixed)
        self.status = label("detail")
        self.export_button = button("export", self.export, primary=export_primary)
        self.back_button = button("back", lambda: self.ctx.go(ScreenName.ADMIN_HOME))
        self._status = ("", "")

    def lay_out(self, filters: QLayout) -> None:
        actions = QHBoxLayout()
        actions.addWidget(self.back_button)
        actions.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(actions)

    def export(self) -> None:
        """Write the shown rows to a file (each screen its own format), through ``save_export``."""
        raise NotImplementedError

    def export_target(self, name: str) -> Path:
        return self.ctx.settings.data_dir / EXPORT_FOLDER / name

    def save_export(self, target: Path, write: Callable[[Path], object], event: str, detail: str) -> None:
        """Write the file; the status line says where, or why not; a written export is audited."""
        try:
            write(target)
        except KioskError as exc:
            self._status = ("error", exc.message)
        except OSError as exc:
            self._status = ("error", str(exc))
        else:
            self._status = ("exported", str(target))
            self.ctx.audit(event, detail=detail)
        self.retranslate()

    def status_text(self, count: str) -> str:
        """The status line: ``count`` (the rows shown), where the export went, or the error."""
        key, arg = self._status
        texts = {"": count, "exported": tr("Saved to {path}").format(path=arg), "error": arg}
        return texts.get(key, "")
