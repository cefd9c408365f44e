"""How visitors sign in, on the settings screen: face alone, card + face, or either; the
fallback PIN; and the 1:1 threshold beside the 1:N one, so the admin sees what verify
accepts at (both from ``match/bands.py`` ``effective_thresholds``).

Its own widget so the settings screen only places it, loads it and collects it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QGroupBox, QLabel, QVBoxLayout

from kiosk.config import EITHER, IDENTIFY, LOGIN_MODES, VERIFY, LoginProfile
from kiosk.match.bands import EffectiveThresholds
from kiosk.ui.i18n import Retranslating, tr


class SignInModeBox(Retranslating, QGroupBox):
    def __init__(self) -> None:
        super().__init__()
        self.mode = QComboBox()
        self.mode.setMinimumHeight(56)
        self.mode.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.pin_fallback = QCheckBox()
        self.pin_fallback.setMinimumHeight(56)
        self.mode_label, self.pin_label = QLabel(), QLabel()
        self.note = QLabel()
        self.note.setObjectName("detail")
        self.note.setWordWrap(True)
        box = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow(self.mode_label, self.mode)
        form.addRow(self.pin_label, self.pin_fallback)
        box.addLayout(form)
        box.addWidget(self.note)  # below the form, not a row of it: a spanning row kept a stale height for its width
        self._thresholds: EffectiveThresholds | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(tr("How visitors sign in"))
        self.mode_label.setText(tr("Sign in with"))
        self.pin_label.setText(tr("Offer the person's own PIN when the face is not accepted"))
        names = {
            IDENTIFY: tr("The face alone"),
            VERIFY: tr("ID card or number, then the face"),
            EITHER: tr("The face alone, or an ID card then the face"),
        }
        current = self.mode.currentData()
        self.mode.blockSignals(True)
        self.mode.clear()
        for mode in LOGIN_MODES:
            self.mode.addItem(names[mode], mode)
        self.mode.setCurrentIndex(max(0, self.mode.findData(current or IDENTIFY)))
        self.mode.blockSignals(False)
        t = self._thresholds
        self.note.setText(
            ""
            if t is None
            else tr("With an ID the face is compared with that person only, and accepted at {one} or above; the face alone at {many}.").format(
                one=f"{t.verify_high:.2f}", many=f"{t.high:.2f}"
            )
        )

    def load(self, login: LoginProfile, thresholds: EffectiveThresholds) -> None:
        self._thresholds = thresholds
        self.mode.setCurrentIndex(max(0, self.mode.findData(login.mode)))
        self.pin_fallback.setChecked(login.pin_fallback)
        self.retranslate()

    def collect(self, login: LoginProfile) -> None:
        login.mode = self.mode.currentData() or IDENTIFY
        login.pin_fallback = self.pin_fallback.isChecked()
