"""Admin home: the way into every admin screen, back to the kiosk, or out of kiosk mode."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QSizePolicy, QVBoxLayout

from kiosk.ui.i18n import tr
from kiosk.ui.navigation import ScreenName
from kiosk.ui.screens.base import Screen, button, label


class AdminHomeScreen(Screen):
    name = ScreenName.ADMIN_HOME
    admin_only = True

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.title = label("title")
        self.models_notice = label("notice")  # shown when a model is not on the provider asked for
        self.buttons = {
            "people": button("people", lambda: self.ctx.go(ScreenName.PEOPLE)),
            "enroll": button("enroll", lambda: self.ctx.go(ScreenName.ENROLL)),
            "lookalike": button("gallery", lambda: self.ctx.go(ScreenName.LOOKALIKE)),
            "settings": button("settings", lambda: self.ctx.go(ScreenName.SETTINGS)),
            "audit": button("audit", lambda: self.ctx.go(ScreenName.AUDIT)),
            "back": button("backToKiosk", self.back_to_kiosk, primary=True),
            "exit": button("exitKiosk", self.exit_kiosk),
        }
        for b in self.buttons.values():
            b.setMinimumHeight(120)
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.buttons["back"].setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.models_notice)
        grid = QGridLayout()
        grid.setSpacing(24)
        for i, key in enumerate(("people", "enroll", "lookalike", "settings", "audit", "exit")):
            grid.addWidget(self.buttons[key], i // 2, i % 2)
        layout.addLayout(grid, 4)
        layout.addWidget(self.buttons["back"])
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(tr("Administration"))
        texts = {
            "people": tr("People"),
            "enroll": tr("Enroll a person"),
            "lookalike": tr("Actor look-alike"),
            "settings": tr("Settings"),
            "audit": tr("Audit log"),
            "back": tr("Back to the kiosk"),
            "exit": tr("Exit kiosk mode"),
        }
        for key, text in texts.items():
            self.buttons[key].setText(text)
        self.retranslate_notice()

    def enter(self, **kwargs) -> None:
        self.buttons["lookalike"].setEnabled(self.ctx.gallery is not None)
        self.retranslate_notice()

    def retranslate_notice(self) -> None:
        fallbacks = self.ctx.analyzer.fallbacks if self.ctx.analyzer is not None else {}
        self.models_notice.setVisible(bool(fallbacks))
        why = "; ".join(f"{role}: {reason}" for role, reason in fallbacks.items())
        self.models_notice.setText(tr("Face models run slower than they should: {why}").format(why=why))

    def back_to_kiosk(self) -> None:
        self.ctx.sign_out()
        self.ctx.go(ScreenName.ATTRACT)

    def exit_kiosk(self) -> None:
        self.ctx.audit("kiosk_exit")
        self.ctx.exit_kiosk()
