"""Preview, large guidance and progress for a running capture (login, enrollment, look-alike)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QProgressBar, QVBoxLayout, QWidget

from kiosk.capture.guidance import Guidance
from kiosk.ui.i18n import Retranslating
from kiosk.ui.screens.base import label
from kiosk.ui.texts import guidance_text, reason_text
from kiosk.ui.widgets.preview import PreviewWidget

MAX_BOXES = 3


class CaptureView(Retranslating, QWidget):
    """Fed by the camera worker's capture signals; keeps the guidance key, not its text, so it re-translates."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = PreviewWidget()
        self.guidance = label("guidance")
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.guidance)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.progress)
        self.guidance_key: str = Guidance.NO_FACE
        self.problem: str | None = None  # a reason key shown instead of guidance when a capture failed

    def reset(self, total: int) -> None:
        self.guidance_key, self.problem = Guidance.NO_FACE, None
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(0)
        self.preview.set_boxes([])
        self.retranslate()

    def retranslate(self) -> None:
        if self.problem:
            self.guidance.setText(reason_text(self.problem))
        else:
            self.guidance.setText(guidance_text(self.guidance_key))

    def show_problem(self, reason: str) -> None:
        self.problem = reason
        self.retranslate()

    def show_frame(self, image: Any) -> None:
        self.preview.set_frame(image)

    def show_report(self, report: Any) -> None:
        self.preview.set_boxes([(o.box, o.passed) for o in (getattr(report, "observations", None) or [])[:MAX_BOXES]])
        key = getattr(report, "guidance_key", None)
        if key and key != self.guidance_key:
            self.guidance_key = key
            self.guidance.setText(guidance_text(key))

    def show_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(min(done, total))
