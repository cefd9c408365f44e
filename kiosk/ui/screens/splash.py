"""Start-up splash while the models load and warm up on a background thread."""

from __future__ import annotations

from PySide6.QtWidgets import QProgressBar, QVBoxLayout

from kiosk.ui.i18n import tr
from kiosk.ui.navigation import ScreenName
from kiosk.ui.screens.base import Screen, label


class SplashScreen(Screen):
    name = ScreenName.SPLASH
    idle_exempt = True

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.title = label("title")
        self.status = label("subtitle")
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy: model loading reports no fraction
        self.bar.setTextVisible(False)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        layout.addStretch(3)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(tr("Face Kiosk"))
        self.status.setText(tr("Starting up: loading the face models…"))
