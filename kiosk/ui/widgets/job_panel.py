"""The frame of a long admin job shown inside a page: title, progress bar, status, what was left out, Stop and Close.

The roster import and the model migration (issue 24) each run their own flow through the camera
worker; what they show while they run is the same, so it is built here once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QVBoxLayout, QWidget

from kiosk.ui.i18n import Retranslating
from kiosk.ui.screens.base import button, label


class JobPanel(Retranslating, QWidget):
    """Subclasses keep their flow's state, implement ``stop`` and ``render``, and call ``retranslate`` last."""

    def __init__(self, ctx: Any, finished: Callable[[], None], *, name: str, stop_name: str, close_name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.ctx = ctx
        self._finished = finished
        self._job: str | None = None
        self._error = ""
        self.title = label("detail")
        self.bar = QProgressBar()
        self.bar.setMinimumHeight(32)
        self.status = label("detail")
        self.problems = label("detail", untranslated=True)  # the flow's reasons are the CLI's words
        self.stop_button = button(stop_name, self.stop)
        self.close_button = button(close_name, self.hide)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for w in (self.title, self.bar, self.status, self.problems):
            layout.addWidget(w)
        layout.addLayout(buttons)
        self.hide()

    def stop(self) -> None:
        """Stop the job in flight: each panel stops its own flow."""
        raise NotImplementedError
