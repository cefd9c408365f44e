"""Privacy on the settings screen: consent required, and how many days rows are kept.

Its own widget, like ``EventsBox``, so the settings screen only places, loads and collects
it. Days at 0 keep rows forever; sign-in statistics keep 1 to 90 days. The events'
retention is ``events.max_age_days`` (config.toml), not repeated here (docs/store.md).
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QFormLayout, QGroupBox, QLabel, QSpinBox

from kiosk.config import STATS_MAX_DAYS, Settings
from kiosk.ui.i18n import Retranslating, tr

MAX_DAYS = 36_500  # a hundred years: "forever" is 0, not a large number


def _days(lo: int, hi: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(lo, hi)
    spin.setMinimumHeight(56)
    return spin


class PrivacyBox(Retranslating, QGroupBox):
    def __init__(self) -> None:
        super().__init__()
        self.consent_required = QCheckBox()
        self.consent_required.setMinimumHeight(56)
        self.audit_days, self.stats_days, self.punches_days = _days(0, MAX_DAYS), _days(1, STATS_MAX_DAYS), _days(0, MAX_DAYS)
        self.labels = [QLabel() for _ in range(4)]
        self.note = QLabel()
        self.note.setObjectName("detail")
        self.note.setWordWrap(True)
        form = QFormLayout(self)
        for lab, field in zip(self.labels, (self.consent_required, self.audit_days, self.stats_days, self.punches_days)):
            form.addRow(lab, field)
        form.addRow(self.note)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(tr("Privacy"))
        texts = (
            tr("Enroll only with the person's consent"),
            tr("Keep the audit log (days)"),
            tr("Keep sign-in statistics (days)"),
            tr("Keep attendance punches (days)"),
        )
        for lab, text in zip(self.labels, texts):
            lab.setText(text)
        self.note.setText(tr("0 days keeps them forever. Older rows are deleted when the kiosk starts and once a day; each deletion is recorded in the audit log."))

    def load(self, s: Settings) -> None:
        self.consent_required.setChecked(s.enroll.consent_required)
        self.audit_days.setValue(s.retention.audit_days)
        self.stats_days.setValue(s.retention.stats_days)
        self.punches_days.setValue(s.retention.punches_days)

    def collect(self, s: Settings) -> None:
        s.enroll.consent_required = self.consent_required.isChecked()
        s.retention.audit_days = int(self.audit_days.value())
        s.retention.stats_days = int(self.stats_days.value())
        s.retention.punches_days = int(self.punches_days.value())
