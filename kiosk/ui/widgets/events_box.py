"""The event sinks on the settings screen: kiosk name, webhook, command, JSON-lines file.

Its own widget so the settings screen only places it, loads it and collects it. The
command is one line split like a shell would (quotes for spaces), and run without one.
The numeric limits (time limits, retention, back-off) stay in ``config.toml``.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit

from kiosk.config import EventsSettings
from kiosk.ui.i18n import Retranslating, tr


def _split(text: str) -> list[str]:
    return shlex.split(text, posix=os.name != "nt") if text.strip() else []


class EventsBox(Retranslating, QGroupBox):
    FIELDS = ("kiosk_name", "webhook_url", "webhook_secret", "webhook_ca_file", "command", "jsonl_path")

    def __init__(self) -> None:
        super().__init__()
        self.edits = {name: QLineEdit() for name in self.FIELDS}
        self.labels = {name: QLabel() for name in self.FIELDS}
        self.edits["webhook_secret"].setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout(self)
        for name in self.FIELDS:
            self.edits[name].setMinimumHeight(56)
            form.addRow(self.labels[name], self.edits[name])
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(tr("Events to other systems"))
        texts = {
            "kiosk_name": tr("Kiosk name (empty: the computer name)"),
            "webhook_url": tr("Webhook address (https://...)"),
            "webhook_secret": tr("Webhook secret"),
            "webhook_ca_file": tr("Certificate file (empty: the system's)"),
            "command": tr("Command to run for each event"),
            "jsonl_path": tr("File to append events to"),
        }
        for name, text in texts.items():
            self.labels[name].setText(text)

    def load(self, e: EventsSettings) -> None:
        self.edits["kiosk_name"].setText(e.kiosk_name)
        self.edits["webhook_url"].setText(e.webhook_url)
        self.edits["webhook_secret"].setText(e.webhook_secret)
        self.edits["webhook_ca_file"].setText(str(e.webhook_ca_file or ""))
        self.edits["command"].setText(shlex.join(e.command) if os.name != "nt" else " ".join(e.command))
        self.edits["jsonl_path"].setText(str(e.jsonl_path or ""))

    def collect(self, e: EventsSettings) -> None:
        text = {name: edit.text().strip() for name, edit in self.edits.items()}
        e.kiosk_name = text["kiosk_name"]
        e.webhook_url = text["webhook_url"]
        e.webhook_secret = self.edits["webhook_secret"].text()
        e.webhook_ca_file = Path(text["webhook_ca_file"]).expanduser() if text["webhook_ca_file"] else None
        e.command = _split(text["command"])
        e.jsonl_path = Path(text["jsonl_path"]).expanduser() if text["jsonl_path"] else None
