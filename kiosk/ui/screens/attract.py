"""Attract screen: live preview, an invitation, language switch, discreet admin entry."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kiosk.ui.i18n import tr
from kiosk.ui.screens.base import Screen, button, label
from kiosk.ui.widgets.preview import PreviewWidget

# Consecutive frames with a face before a login starts by itself (a passer-by glancing does not).
AUTO_START_FRAMES = 3


class AttractScreen(Screen):
    name = "attract"
    idle_exempt = True

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.preview = PreviewWidget(self)
        self.title = label("title")
        self.subtitle = label("subtitle")
        self.start_button = button("start", self.start_login, primary=True)
        self.lookalike_button = button("lookalike", lambda: self.ctx.go("lookalike"))
        self.language_button = button("language", self.switch_language)
        self.admin_button = button("adminEntry", lambda: self.ctx.go("pin"))
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self.language_button)
        layout.addLayout(top)
        body = self.adaptive_box()
        body.addWidget(self.preview, 3)
        panel = QVBoxLayout()
        panel.addStretch(1)
        for w in (self.title, self.subtitle, self.start_button, self.lookalike_button):
            panel.addWidget(w)
        panel.addStretch(1)
        body.addLayout(panel, 2)
        layout.addLayout(body, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.admin_button)
        layout.addLayout(bottom)
        self._faces_seen = 0
        self.auto_start = True
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(tr("Welcome"))
        self.subtitle.setText(tr("Look at the camera to sign in"))
        self.start_button.setText(tr("Sign in"))
        self.lookalike_button.setText(tr("Which actor do you look like?"))
        # The switch names the other language in that language, so anyone can find it.
        self.language_button.setText("English" if self.ctx.languages.language == "ko" else "한국어")
        self.admin_button.setText(tr("Admin"))

    def enter(self, **kwargs: Any) -> None:
        self._faces_seen = 0
        self.preview.set_boxes([])
        self.lookalike_button.setVisible(self.ctx.gallery is not None)

    def switch_language(self) -> None:
        self.ctx.extras["set_language"]("en" if self.ctx.languages.language == "ko" else "ko")

    def start_login(self) -> None:
        self.ctx.go("login")

    def on_frame(self, image: Any) -> None:
        self.preview.set_frame(image)

    def on_report(self, report: Any) -> None:
        chosen = getattr(report, "chosen", None)
        self.preview.set_boxes([(chosen.box, chosen.passed)] if chosen is not None else [])
        self._faces_seen = self._faces_seen + 1 if chosen is not None and chosen.passed else 0
        if self.auto_start and self._faces_seen >= AUTO_START_FRAMES:
            self.start_login()
