"""Admin home: the way into every admin screen, back to the kiosk, or out of kiosk mode."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QGridLayout, QSizePolicy, QVBoxLayout

from kiosk.errors import KioskError
from kiosk.ui.i18n import tr
from kiosk.ui.navigation import ScreenName
from kiosk.ui.screens.base import Screen, button, label

TILES = ("people", "enroll", "lookalike", "settings", "audit", "dashboard", "attendance", "teach", "exit")


class AdminHomeScreen(Screen):
    name = ScreenName.ADMIN_HOME

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.title = label("title")
        self.events_status = label("detail")  # the event backlog and the last delivery error
        self.models_notice = label("notice")  # shown when a model is not on the provider asked for
        self.fleet = label("fleetStatus")  # shown only while this kiosk is in a fleet
        self._fleet_state: dict = {}
        self.buttons = {
            "people": button("people", lambda: self.ctx.go(ScreenName.PEOPLE)),
            "enroll": button("enroll", lambda: self.ctx.go(ScreenName.ENROLL)),
            "lookalike": button("gallery", lambda: self.ctx.go(ScreenName.LOOKALIKE)),
            "settings": button("settings", lambda: self.ctx.go(ScreenName.SETTINGS)),
            "audit": button("audit", lambda: self.ctx.go(ScreenName.AUDIT)),
            "dashboard": button("dashboard", lambda: self.ctx.go(ScreenName.DASHBOARD)),
            "attendance": button("attendance", lambda: self.ctx.go(ScreenName.ATTENDANCE)),
            "teach": button("teach", lambda: self.ctx.go(ScreenName.TEACH)),
            "back": button("backToKiosk", self.back_to_kiosk, primary=True),
            "exit": button("exitKiosk", self.exit_kiosk),
        }
        for b in self.buttons.values():
            b.setMinimumHeight(96)
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.buttons["back"].setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.models_notice)
        layout.addWidget(self.fleet)
        self.grid = QGridLayout()
        self.grid.setSpacing(24)
        self._columns = 0
        self._place_tiles(2)
        layout.addLayout(self.grid, 4)
        layout.addWidget(self.events_status)
        layout.addWidget(self.buttons["back"])
        self.retranslate()

    def _place_tiles(self, columns: int) -> None:
        """Nine tiles, two to a row on a portrait screen (three leave "Teach the camera" too little
        width at 762 px) and three on a landscape one (five rows leave 800 px too little height)."""
        if columns == self._columns:
            return
        self._columns = columns
        for i, key in enumerate(TILES):
            self.grid.removeWidget(self.buttons[key])
            self.grid.addWidget(self.buttons[key], i // columns, i % columns)
        for i in range(len(TILES)):  # equal tiles; a row or column left empty takes no room
            self.grid.setRowStretch(i, 1 if i < -(-len(TILES) // columns) else 0)
            self.grid.setColumnStretch(i, 1 if i < columns else 0)

    def fit_to(self, size: QSize) -> None:
        super().fit_to(size)
        self._place_tiles(3 if size.width() > size.height() else 2)

    def retranslate(self) -> None:
        self.title.setText(tr("Administration"))
        texts = {
            "people": tr("People"),
            "enroll": tr("Enroll a person"),
            "lookalike": tr("Actor look-alike"),
            "settings": tr("Settings"),
            "audit": tr("Audit log"),
            "dashboard": tr("Trends"),
            "attendance": tr("Attendance"),
            "teach": tr("Teach the camera"),
            "back": tr("Back to the kiosk"),
            "exit": tr("Exit kiosk mode"),
        }
        for key, text in texts.items():
            self.buttons[key].setText(text)
        self.events_status.setText(self._events_text())
        self.events_status.setVisible(bool(self.events_status.text()))  # an empty line still takes height
        self.retranslate_notice()
        self._show_fleet()

    def _events_text(self) -> str:
        sender = self.ctx.events
        if sender is None:
            return ""
        status = sender.outbox.status()
        if not status.sinks and not status.problems:
            return tr("Events: no destination is set")
        if status.backlog:
            text = tr("Events: {count} waiting to be sent").format(count=status.backlog)
        else:
            text = tr("Events: all sent")
        if status.last_error:
            text += "\n" + tr("Last delivery error: {error}").format(error=status.last_error)
        return text

    def retranslate_notice(self) -> None:
        fallbacks = self.ctx.analyzer.fallbacks if self.ctx.analyzer is not None else {}
        self.models_notice.setVisible(bool(fallbacks))
        why = "; ".join(f"{role}: {reason}" for role, reason in fallbacks.items())
        self.models_notice.setText(tr("Face models run slower than they should: {why}").format(why=why))

    def _show_fleet(self) -> None:
        """Fleet status from the local database only: the GUI thread never waits for the server."""
        state = self._fleet_state
        self.fleet.setVisible(bool(state.get("joined")))
        if not state.get("joined"):
            return
        lines = [
            tr("Fleet: {kiosk}, last sync {when}, {n} change(s) waiting").format(
                kiosk=state["kiosk"], when=(state["last_sync"] or tr("never"))[:19].replace("T", " "), n=state["backlog"]
            )
        ]
        if state.get("last_error"):
            lines.append(tr("Last sync error: {error}").format(error=state["last_error"]))
        self.fleet.setText("\n".join(lines))

    def enter(self, **kwargs) -> None:
        self.buttons["lookalike"].setEnabled(self.ctx.gallery is not None)
        from kiosk.fleet.membership import local_status

        try:
            self._fleet_state = local_status(self.registry)
        except KioskError as exc:
            self._fleet_state = {"joined": True, "kiosk": "?", "last_sync": None, "backlog": 0, "last_error": exc.message}
        self.retranslate()

    def back_to_kiosk(self) -> None:
        self.ctx.sign_out()
        self.ctx.go(ScreenName.ATTRACT)

    def exit_kiosk(self) -> None:
        self.ctx.request_exit()  # a confirmation first (the PIN screen audits the exit)
