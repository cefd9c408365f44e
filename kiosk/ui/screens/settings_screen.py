"""Settings: camera with a test view, thresholds with a live score, capture profiles, idle timeout, language.

Save first shows every change, old -> new, and asks (``kiosk.flows.settings_review``); a change
that weakens the kiosk (a threshold below the pack's calibrated value, a spoof check turned off)
also needs "I understand" ticked. Confirmed changes apply to the running kiosk at once, are
written to ``config.toml`` with ``save_settings`` (atomic) and audited key by key; a value the
validator refuses is named and nothing is written. The mouse wheel scrolls the page and changes
a field only once it has focus (``widgets/wheel_guard.py``).
"""

from __future__ import annotations

import copy
import logging
from typing import Any, overload

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import ADAPTIVE, ATTENDANCE, AUTO, SECURITY_LEVELS, SIGNIN, effective_security, save_settings
from kiosk.engine.pack import Thresholds
from kiosk.errors import KioskError
from kiosk.events.config import setup as events_setup
from kiosk.flows.settings_review import Review, Risk, Weakening, review
from kiosk.match.bands import effective_thresholds
from kiosk.ui.i18n import tr
from kiosk.ui.jobs import face_vector_job
from kiosk.ui.navigation import ScreenName
from kiosk.ui.screens.base import Screen, button, label, touch_scroll
from kiosk.ui.widgets.events_box import EventsBox
from kiosk.ui.widgets.signin_mode import SignInModeBox
from kiosk.ui.widgets.privacy_box import PrivacyBox
from kiosk.ui.widgets.preview import PreviewWidget, qimage_to_bgr
from kiosk.ui.widgets.scorebar import ScoreBar
from kiosk.ui.widgets.wheel_guard import guard_wheel

log = logging.getLogger(__name__)

CAMERA_CHOICES = ("0", "1", "2", "3")
SCORE_INTERVAL_MS = 1500
PROFILE_FIELDS = (
    # (field, kind, minimum, maximum, step)
    ("min_valid_frames", int, 1, 30, 1),
    ("timeout_s", float, 1.0, 60.0, 0.5),
    ("min_face_px", int, 40, 600, 10),
    ("max_yaw", float, 5.0, 60.0, 1.0),
    ("max_pitch", float, 5.0, 60.0, 1.0),
    ("min_sharpness", float, 0.0, 500.0, 5.0),
    ("liveness", bool, 0, 0, 0),
    ("security", str, 0, 0, 0),
)

# What each kind of field says when the admin changes it (the "Saved to ..." line then goes).
EDIT_SIGNALS = (
    (QCheckBox, "toggled"),
    (QComboBox, "currentTextChanged"),
    (QLineEdit, "textChanged"),
    (QSpinBox, "valueChanged"),
    (QDoubleSpinBox, "valueChanged"),
)


@overload
def _spin(kind: type[int], lo: int, hi: int, step: int) -> QSpinBox: ...
@overload
def _spin(kind: type[float], lo: float, hi: float, step: float) -> QDoubleSpinBox: ...
@overload
def _spin(kind: type, lo: float, hi: float, step: float) -> QSpinBox | QDoubleSpinBox: ...
def _spin(kind: type, lo: float, hi: float, step: float) -> QSpinBox | QDoubleSpinBox:
    widget: QSpinBox | QDoubleSpinBox
    if kind is int:
        widget = QSpinBox()
        widget.setRange(int(lo), int(hi))
        widget.setSingleStep(int(step))
    else:
        widget = QDoubleSpinBox()
        widget.setRange(lo, hi)
        widget.setSingleStep(step)
    widget.setMinimumHeight(56)
    return widget


class SettingsScreen(Screen):
    name = ScreenName.SETTINGS

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.title = label("title")
        body = QWidget()
        form_layout = QVBoxLayout(body)
        # camera
        self.camera_box = QGroupBox()
        self.camera = QComboBox()
        self.camera.setEditable(True)
        self.camera.addItems(CAMERA_CHOICES)
        self.camera.setMinimumHeight(56)
        self.camera_apply = button("cameraApply", self.apply_camera)
        self.preview = PreviewWidget()
        self.preview.setMinimumHeight(240)
        cam = QVBoxLayout(self.camera_box)
        row = QHBoxLayout()
        row.addWidget(self.camera, 1)
        row.addWidget(self.camera_apply)
        cam.addLayout(row)
        cam.addWidget(self.preview)
        # thresholds
        self.match_box = QGroupBox()
        # A cosine threshold below 0 accepts most strangers: the boxes stop at 0 (config.toml
        # may still say less); below the pack's calibrated values Save asks "I understand".
        self.high = _spin(float, 0.0, 1.0, 0.01)
        self.low = _spin(float, 0.0, 1.0, 0.01)
        for spin in (self.high, self.low):
            spin.valueChanged.connect(lambda _v: self._render_score())
        self.score_bar = ScoreBar()
        self.score_label = label("detail")
        self.high_label, self.low_label = QLabel(), QLabel()
        m = QFormLayout(self.match_box)
        m.addRow(self.high_label, self.high)
        m.addRow(self.low_label, self.low)
        m.addRow(self.score_bar)
        m.addRow(self.score_label)
        # profiles
        self.profile_boxes: dict[str, QGroupBox] = {}
        profile_forms: dict[str, QFormLayout] = {}
        profile_columns: dict[str, QVBoxLayout] = {}
        self.profile_widgets: dict[tuple[str, str], Any] = {}
        self.profile_labels: dict[tuple[str, str], QLabel] = {}
        for profile in ("login", "enroll"):
            box = QGroupBox()
            f = QFormLayout()
            column = QVBoxLayout(box)
            column.addLayout(f)  # notes go below the form: a spanning form row kept a stale height for its width
            profile_forms[profile], profile_columns[profile] = f, column
            for field, kind, lo, hi, step in PROFILE_FIELDS:
                widget = QCheckBox() if kind is bool else QComboBox() if kind is str else _spin(kind, lo, hi, step)
                widget.setMinimumHeight(56)
                if isinstance(widget, QComboBox):  # as wide as its longest level: too wide, the row wraps
                    widget.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
                lab = QLabel()
                f.addRow(lab, widget)
                self.profile_widgets[(profile, field)] = widget
                self.profile_labels[(profile, field)] = lab
            self.profile_boxes[profile] = box
        # Enrollment only: whether a face picture of each person is kept for the admin's screens.
        self.store_faces, self.store_faces_label = QCheckBox(), QLabel()
        self.store_faces.setMinimumHeight(56)
        self.store_faces_note = label("detail")
        self.store_faces_note.setWordWrap(True)
        profile_forms["enroll"].addRow(self.store_faces_label, self.store_faces)
        profile_columns["enroll"].addWidget(self.store_faces_note)
        self.security_note = label("detail")
        self.security_note.setWordWrap(True)
        profile_columns["login"].addWidget(self.security_note)
        # What an accepted sign-in is for (login.purpose): a greeting, or an attendance punch too.
        self.purpose, self.purpose_label = QComboBox(), QLabel()
        self.purpose.setMinimumHeight(56)
        self.purpose.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        purpose = QFormLayout()
        purpose.addRow(self.purpose_label, self.purpose)
        profile_columns["login"].addLayout(purpose)
        # kiosk
        self.kiosk_box = QGroupBox()
        self.idle = _spin(int, 5, 3600, 5)
        self.result_seconds = _spin(float, 1.0, 30.0, 0.5)
        self.language = QComboBox()
        self.language.setMinimumHeight(56)
        self.hide_cursor = QCheckBox()
        self.idle_label, self.result_label, self.language_label, self.cursor_label = QLabel(), QLabel(), QLabel(), QLabel()
        k = QFormLayout(self.kiosk_box)
        k.addRow(self.idle_label, self.idle)
        k.addRow(self.result_label, self.result_seconds)
        k.addRow(self.language_label, self.language)
        k.addRow(self.cursor_label, self.hide_cursor)
        self.events_box = EventsBox()
        self.signin_mode = SignInModeBox()
        self.privacy_box = PrivacyBox()  # consent required, retention days (docs/store.md "Privacy")
        for w in (self.camera_box, self.match_box, self.signin_mode, self.profile_boxes["login"], self.profile_boxes["enroll"], self.kiosk_box, self.events_box, self.privacy_box):
            form_layout.addWidget(w)
        for form in body.findChildren(QFormLayout):  # a label too long for its row goes above its field
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._wheel_guard = guard_wheel(body)
        self.form_scroll = QScrollArea()
        self.form_scroll.setWidgetResizable(True)
        self.form_scroll.setWidget(body)
        touch_scroll(self.form_scroll)
        self.status = label("detail")
        self.save_button = button("save", self.save, primary=True)
        self.back_button = button("back", lambda: self.ctx.go(ScreenName.ADMIN_HOME))
        self.action_bar = QWidget()
        actions = QHBoxLayout(self.action_bar)
        actions.setContentsMargins(0, 0, 0, 0)
        actions.addWidget(self.back_button)
        actions.addWidget(self.save_button)
        # Save asks first: the changes old -> new, what weakens the kiosk, and "I understand".
        self.confirm = QWidget()
        self.confirm.setObjectName("reviewPanel")
        self.confirm_title = label("subtitle")
        self.confirm_changes = label("detail", untranslated=True)
        self.confirm_changes.setAlignment(Qt.AlignmentFlag.AlignLeft)
        self.confirm_risks = label("riskList")
        self.confirm_risks.setAlignment(Qt.AlignmentFlag.AlignLeft)
        self.understand = QCheckBox()
        self.understand.setMinimumHeight(56)
        self.understand.toggled.connect(lambda _on: self._render_confirm())
        self.confirm_yes = button("confirmSave", self._commit)
        self.confirm_no = button("confirmKeepEditing", self._hide_confirm, primary=True)
        listing = QWidget()
        lines = QVBoxLayout(listing)
        lines.addWidget(self.confirm_changes)
        lines.addWidget(self.confirm_risks)
        lines.addStretch(1)
        self.confirm_scroll = QScrollArea()  # many changes on a short landscape screen: scrolled, never cut
        self.confirm_scroll.setWidgetResizable(True)
        self.confirm_scroll.setWidget(listing)
        touch_scroll(self.confirm_scroll)
        c = QVBoxLayout(self.confirm)
        c.addWidget(self.confirm_title)
        c.addWidget(self.confirm_scroll, 1)
        c.addWidget(self.understand)
        confirm_row = QHBoxLayout()
        confirm_row.addWidget(self.confirm_no)
        confirm_row.addWidget(self.confirm_yes)
        c.addLayout(confirm_row)
        self.confirm.hide()
        self.pending: tuple[Any, Review] | None = None  # the settings and their review, awaiting the answer
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.form_scroll, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.confirm, 1)
        layout.addWidget(self.action_bar)
        self.score: float | None = None
        self._camera_shown = ""
        self._status = ("", "")
        for edit in body.findChildren(QWidget):
            if signal := next((name for kind, name in EDIT_SIGNALS if isinstance(edit, kind)), None):
                getattr(edit, signal).connect(lambda *_: self._edited())
        self._score_job: str | None = None
        self.score_timer = QTimer(self)
        self.score_timer.setInterval(SCORE_INTERVAL_MS)
        self.score_timer.timeout.connect(self._measure_score)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(tr("Settings"))
        self.camera_box.setTitle(tr("Camera"))
        self.camera_apply.setText(tr("Use this camera"))
        self.match_box.setTitle(tr("Recognition thresholds"))
        self.high_label.setText(tr("Accept at or above"))
        self.low_label.setText(tr("Reject below"))
        self.profile_boxes["login"].setTitle(tr("Sign-in capture"))
        self.profile_boxes["enroll"].setTitle(tr("Enrollment capture"))
        names = {
            "min_valid_frames": tr("Good pictures needed"),
            "timeout_s": tr("Give up after (seconds)"),
            "min_face_px": tr("Smallest face (pixels)"),
            "max_yaw": tr("Largest head turn (degrees)"),
            "max_pitch": tr("Largest head tilt (degrees)"),
            "min_sharpness": tr("Least sharpness"),
            "liveness": tr("Check for photos and screens"),
            "security": tr("Security against photos and screens"),
        }
        for (_profile, field), lab in self.profile_labels.items():
            lab.setText(names[field])
        levels = {
            "standard": tr("Standard: look at the camera"),
            "strict": tr("Strict: also turn the head left and right"),
            "adaptive": tr("Adaptive: turn the head only if unsure"),  # short: the note below explains
        }
        # auto names the level it runs with this kiosk's pack (config.effective_security), once the pack is loaded
        if self.ctx.analyzer is None:
            levels[AUTO] = tr("Automatic")
        else:
            runs = levels[effective_security(AUTO, self.ctx.analyzer.pack.thresholds.band_measured)].partition(":")[0]
            levels[AUTO] = tr("Automatic (now {level})").format(level=runs)
        for profile in ("login", "enroll"):
            combo = self.profile_widgets[(profile, "security")]
            current = combo.currentData() or self.ctx.settings.profile(profile).security
            combo.blockSignals(True)
            combo.clear()
            for level in SECURITY_LEVELS:
                combo.addItem(levels[level], level)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)
        # The measured trade-off (docs/capture.md has the figures and the commands).
        self.security_note.setText(
            tr(
                "Standard checks each picture for signs of a photo or a screen: sign-in takes about a second, "
                "but a good photo or phone screen held up to the camera can still get through (about 4 in 10 "
                "such attacks in tests with a model pack not trained for them). Strict also asks for a head turn to each side: a few seconds longer, "
                "and no print or phone picture passed it in tests, bent or not, while all 15 real head turns "
                "tried passed it; a video of the right person turning their head can still get through."
            )
            + " "
            + tr(
                "Adaptive asks for the head turn only when the check is unsure. With the default model pack, trained for it "
                "and tested on rooms it had not seen, about 1 in 25 real sign-ins were asked to turn (about 1 in 8 in the "
                "hardest room), none were refused, and about 4 in 1000 photo or screen attacks got through without the turn; "
                "Standard with the same pack let about 1 in 100 through and refused about 2 in 100 real sign-ins. "
                "A pack without that training asks everyone, like Strict."
            )
            + " "
            + tr("Automatic is Adaptive with a model pack trained for it and Standard with any other.")
        )
        self.purpose_label.setText(tr("A sign-in is for"))
        current = self.purpose.currentData() or self.ctx.settings.login.purpose
        self.purpose.blockSignals(True)
        self.purpose.clear()
        self.purpose.addItem(tr("Greeting the person"), SIGNIN)
        self.purpose.addItem(tr("Attendance: IN and OUT"), ATTENDANCE)
        self.purpose.setCurrentIndex(max(0, self.purpose.findData(current)))
        self.purpose.blockSignals(False)
        self.store_faces_label.setText(tr("Keep a face picture of each person"))
        self.store_faces_note.setText(
            tr("Shown on the people list and the enrollment review, sealed like the templates. Turning this off deletes the stored pictures.")
        )
        self.kiosk_box.setTitle(tr("Kiosk"))
        self.idle_label.setText(tr("Back to start after idle (seconds)"))
        self.result_label.setText(tr("Show the result for (seconds)"))
        self.language_label.setText(tr("Language"))
        self.cursor_label.setText(tr("Hide the mouse pointer"))
        current = self.language.currentData()
        self.language.blockSignals(True)
        self.language.clear()
        for text, code in ((tr("Follow the system"), "auto"), ("English", "en"), ("한국어", "ko")):
            self.language.addItem(text, code)
        self.language.setCurrentIndex(max(0, self.language.findData(current or self.ctx.settings.ui.language)))
        self.language.blockSignals(False)
        self.save_button.setText(tr("Save"))
        self.back_button.setText(tr("Back"))
        key, arg = self._status
        texts = {
            "": "",
            "saved": tr("Saved to {path}").format(path=arg),
            "invalid": tr("Not saved: {why}").format(why=arg),
            "unchanged": tr("Nothing to save: no setting was changed."),
        }
        self.status.setText(texts.get(key, ""))
        self.status.setProperty("role", "error" if key == "invalid" else "")
        self.status.style().polish(self.status)
        self.confirm_title.setText(tr("Save these changes?"))
        self.understand.setText(tr("I understand: the kiosk becomes easier to fool"))
        self.confirm_yes.setText(tr("Save these changes"))
        self.confirm_no.setText(tr("Keep editing"))
        self._render_confirm()
        self._render_score()

    def _edited(self) -> None:
        """A value changed after "Saved to ..." or "Not saved: ...": that line no longer applies,
        nor does a confirmation asked for the values before."""
        self._hide_confirm()
        if self._status != ("", ""):
            self._status = ("", "")
            self.status.setText("")

    def _pack_thresholds(self) -> Thresholds:
        """The active pack's; before the models have loaded, the manifest defaults."""
        return self.ctx.analyzer.pack.thresholds if self.ctx.analyzer is not None else Thresholds()

    def enter(self, **kwargs: Any) -> None:
        s = self.ctx.settings
        self._status = ("", "")
        # The source in use, not the saved one: with `kiosk run --camera video.avi` it said "0" (issue 21).
        self._camera_shown = self.ctx.camera_in_use() or s.camera.source
        self.camera.setCurrentText(self._camera_shown)
        thresholds = effective_thresholds(self._pack_thresholds(), s.match)
        self.high.setValue(thresholds.high)
        self.low.setValue(thresholds.low)
        for (profile, field), widget in self.profile_widgets.items():
            value = getattr(s.profile(profile), field)
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(value)))
            elif isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            else:
                widget.setValue(value)
        self.idle.setValue(s.ui.idle_timeout_s)
        self.result_seconds.setValue(s.ui.result_seconds)
        self.language.setCurrentIndex(max(0, self.language.findData(s.ui.language)))
        self.hide_cursor.setChecked(s.ui.hide_cursor)
        self.store_faces.setChecked(s.enroll.store_face_crops)
        self.purpose.setCurrentIndex(max(0, self.purpose.findData(s.login.purpose)))
        self.events_box.load(s.events)
        self.signin_mode.load(s.login, thresholds)
        self.privacy_box.load(s)
        self.score = None
        self.retranslate()
        self.score_timer.start()

    def leave(self) -> None:
        self._hide_confirm()
        self.score_timer.stop()
        self.ctx.jobs.cancel(self._score_job)
        self._score_job = None

    def apply_camera(self) -> None:
        self.preview.clear()
        if self.ctx.worker is not None:
            self.ctx.worker.set_source(self.camera.currentText().strip())

    def on_frame(self, image: Any) -> None:
        self.preview.set_frame(image)

    def on_report(self, report: Any) -> None:
        chosen = getattr(report, "chosen", None)
        self.preview.set_boxes([(chosen.box, chosen.passed)] if chosen is not None else [])

    def _measure_score(self) -> None:
        """Embed the face in view (on the worker) and ask the matcher for its best score."""
        image = self.preview.image
        if self._score_job is not None or self.ctx.worker is None or image is None:
            return
        self._score_job = self.ctx.jobs.submit(face_vector_job(qimage_to_bgr(image)), self._score_done, self._score_failed)

    def _score_done(self, vector: Any) -> None:
        # Not ``identify``: a tuning view must not write an audit entry every second.
        self._score_job = None
        self.score = self.ctx.registry.best_score(vector) if vector is not None and self.ctx.registry is not None else None
        self._render_score()

    def _score_failed(self, exc: BaseException) -> None:
        self._score_job = None
        self.score = None
        self._render_score()

    def _render_score(self) -> None:
        self.score_bar.set_values(self.low.value(), self.high.value(), self.score)
        if self.score is None:
            self.score_label.setText(tr("No enrolled face in view"))
        else:
            self.score_label.setText(tr("Best match for the face in view: {score}").format(score=f"{self.score:.2f}"))

    def _collect(self):
        s = copy.deepcopy(self.ctx.settings)
        chosen = self.camera.currentText().strip()
        if chosen and chosen != self._camera_shown:  # only a camera the admin chose here is saved
            s.camera.source = chosen
        pack = self._pack_thresholds()  # a value left at the pack's stays "the pack's"
        s.match.high = None if abs(self.high.value() - pack.high) < 1e-9 else round(self.high.value(), 4)
        s.match.low = None if abs(self.low.value() - pack.low) < 1e-9 else round(self.low.value(), 4)
        for (profile, field), widget in self.profile_widgets.items():
            if isinstance(widget, QComboBox):
                value = widget.currentData()
            else:
                value = widget.isChecked() if isinstance(widget, QCheckBox) else widget.value()
            setattr(s.profile(profile), field, value)
        s.ui.idle_timeout_s = int(self.idle.value())
        s.ui.result_seconds = float(self.result_seconds.value())
        s.ui.language = self.language.currentData()
        s.ui.hide_cursor = self.hide_cursor.isChecked()
        s.enroll.store_face_crops = self.store_faces.isChecked()
        s.login.purpose = self.purpose.currentData() or s.login.purpose
        self.events_box.collect(s.events)
        self.signin_mode.collect(s.login)
        self.privacy_box.collect(s)
        return s

    def save(self) -> None:
        """Check the values, then ask: nothing is written until the changes are confirmed."""
        new = self._collect()
        try:
            new.validate()
            for problem in events_setup(new.events).problems:  # a sink that could not run is not saved
                raise problem
        except KioskError as exc:
            self._refused(exc)
            return
        pack = self.ctx.analyzer.pack if self.ctx.analyzer is not None else None
        found = review(self.ctx.settings, new, pack)
        if not found.changes:
            self._status = ("unchanged", "")
            self.retranslate()
            return
        self.pending = (new, found)
        self.understand.setChecked(False)
        self.form_scroll.hide()  # the review takes the form's place: all of it readable without scrolling
        self.confirm.show()
        self.action_bar.hide()
        self.retranslate()

    def _refused(self, exc: BaseException) -> None:
        self._status = ("invalid", getattr(exc, "message", None) or str(exc))
        self.retranslate()

    def _hide_confirm(self) -> None:
        self.pending = None
        self.confirm.hide()
        self.form_scroll.show()
        self.action_bar.show()

    def _render_confirm(self) -> None:
        if self.pending is None:
            return
        _new, found = self.pending
        self.confirm_changes.setText("\n".join(c.line() for c in found.changes))
        self.confirm_risks.setText(risks_text(found.risks))
        self.confirm_risks.setVisible(found.needs_understanding)
        self.understand.setVisible(found.needs_understanding)
        self.confirm_yes.setEnabled(not found.needs_understanding or self.understand.isChecked())

    def _commit(self) -> None:
        """The confirmed changes: written, applied, audited key by key (secrets hidden)."""
        if self.pending is None:
            return
        new, found = self.pending
        if found.needs_understanding and not self.understand.isChecked():
            return
        self._hide_confirm()
        try:
            path = save_settings(new)
        except (KioskError, OSError) as exc:
            self._refused(exc)
            return
        self.ctx.live.apply(new)
        self._status = ("saved", str(path))
        self.ctx.audit("settings_saved", found.audit_detail(confirmed_risks=found.needs_understanding))
        self.retranslate()


def risk_text(risk: Risk) -> str:
    """One weakening in words: what it lets through."""
    profile = {"login": tr("Sign-in capture"), "enroll": tr("Enrollment capture")}.get(risk.key.partition(".")[0], "")
    if risk.kind == Weakening.ACCEPT_BELOW_PACK:
        return tr("Accept at or above {value} is below {pack}, the model pack's calibrated value: more strangers will be accepted as someone enrolled.").format(
            value=risk.value, pack=f"{risk.pack_value:g}"
        )
    if risk.kind == Weakening.REJECT_BELOW_PACK:
        return tr("Reject below {value} is below {pack}, the model pack's calibrated value: fewer strangers are turned away at once.").format(
            value=risk.value, pack=f"{risk.pack_value:g}"
        )
    if risk.kind == Weakening.LIVENESS_OFF:
        return tr("{profile}: the check for photos and screens is turned off: a photo of an enrolled person will be accepted.").format(profile=profile)
    if risk.kind == Weakening.ADAPTIVE_LOWERED:
        return tr(
            "{profile}: the head turn is no longer asked for when the check is unsure: in tests on rooms the model pack had not seen, "
            "about 1 in 100 photo or screen attacks got through instead of about 4 in 1000."
        ).format(profile=profile)
    if risk.value == ADAPTIVE:
        return tr("{profile}: the head turn is asked for only when the check is unsure: in tests about 4 in 1000 photo or screen attacks got through without it.").format(
            profile=profile
        )
    return tr(
        "{profile}: the head turn is no longer asked for: in tests about 4 in 10 good photos or phone screens held up to the camera got through without it."
    ).format(profile=profile)


def risks_text(risks: tuple[Risk, ...]) -> str:
    """Each weakening, then, once, what is known of the false-accept rate a lower threshold implies."""
    lines = [risk_text(r) for r in risks]
    thresholds = [r for r in risks if r.pack_value is not None]
    if thresholds:
        lines.append(
            tr("The model pack records no measured false-accept rate below its calibrated thresholds, so how many strangers this lets in is not known.")
            if all(r.calibrated for r in thresholds)
            else tr("The model pack is not calibrated: its thresholds are defaults and no false-accept rate is known for any value.")
        )
    return "\n".join(lines)
