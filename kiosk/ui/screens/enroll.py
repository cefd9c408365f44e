"""Enrollment: name and ID by touch keyboard, capture with live feedback, duplicate check, save.

Also re-enrollment of an existing person (a new template after a model change),
and enrollment from photo files through a worker job.
"""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.errors import KioskError
from kiosk.ui.jobs import PhotoBatch, embed_photo_job
from kiosk.ui.i18n import tr
from kiosk.ui.screens.base import Screen, button, label
from kiosk.ui.texts import reason_text
from kiosk.ui.widgets.capture_view import CaptureView
from kiosk.ui.widgets.keyboard import TouchKeyboard

log = logging.getLogger(__name__)

PHOTO_FILTER = "Images (*.jpg *.jpeg *.png *.bmp *.webp *.tif *.tiff)"


class EnrollScreen(Screen):
    name = "enroll"
    admin_only = True

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.title = label("title")
        self.pages = QStackedWidget()
        self._build_form()
        self._build_capture()
        self._build_review()
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.pages, 1)
        self.person: Any = None  # PersonSummary when re-enrolling
        self.template: Any = None
        self.duplicate: Any = None
        self._status_key = ""
        self._status_arg = ""
        self._rejected: Counter[str] = Counter()
        self._capturing = False
        self._job: str | None = None
        self._batch = PhotoBatch([])
        self.retranslate()

    # -- pages -----------------------------------------------------------------
    def _build_form(self) -> None:
        page = QWidget()
        self.name_edit = QLineEdit()
        self.id_edit = QLineEdit()
        for edit in (self.name_edit, self.id_edit):
            edit.setMinimumHeight(64)
            edit.installEventFilter(self)
        self.name_label, self.id_label = QLabel(), QLabel()
        form = QFormLayout()
        form.addRow(self.name_label, self.name_edit)
        form.addRow(self.id_label, self.id_edit)
        self.form_message = label("formMessage")
        self.keyboard = TouchKeyboard()
        self.keyboard.set_target(self.name_edit)
        self.keyboard.done.connect(self._keyboard_done)
        self.camera_button = button("captureCamera", self.start_capture, primary=True)
        self.photos_button = button("fromPhotos", self.choose_photos)
        self.form_back = button("back", self.back)
        row = QHBoxLayout()
        for b in (self.form_back, self.photos_button, self.camera_button):
            row.addWidget(b)
        v = QVBoxLayout(page)
        v.addLayout(form)
        v.addWidget(self.form_message)
        v.addWidget(self.keyboard)
        v.addStretch(1)
        v.addLayout(row)
        self.pages.addWidget(page)
        self.form_page = page

    def _build_capture(self) -> None:
        page = QWidget()
        self.view = CaptureView()
        self.rejected_label = label("detail")
        self.capture_cancel = button("cancel", self.cancel_capture)
        v = QVBoxLayout(page)
        v.addWidget(self.view, 1)
        v.addWidget(self.rejected_label)
        v.addWidget(self.capture_cancel)
        self.pages.addWidget(page)
        self.capture_page = page

    def _build_review(self) -> None:
        page = QWidget()
        self.review_title = label("subtitle")
        self.review_detail = label("detail")
        self.duplicate_label = label("warning")
        self.save_button = button("save", self.save, primary=True)
        self.retake_button = button("retake", self.show_form)
        self.another_button = button("another", self.restart)
        self.done_button = button("done", self.back)
        row = QHBoxLayout()
        for b in (self.retake_button, self.another_button, self.done_button, self.save_button):
            row.addWidget(b)
        v = QVBoxLayout(page)
        v.addStretch(1)
        v.addWidget(self.review_title)
        v.addWidget(self.review_detail)
        v.addWidget(self.duplicate_label)
        v.addStretch(2)
        v.addLayout(row)
        self.pages.addWidget(page)
        self.review_page = page

    # -- texts -----------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(tr("Re-enroll {name}").format(name=self.person.name) if self.person else tr("Enroll a person"))
        self.name_label.setText(tr("Name"))
        self.id_label.setText(tr("ID"))
        self.name_edit.setPlaceholderText(tr("Full name"))
        self.id_edit.setPlaceholderText(tr("Employee or member number"))
        self.camera_button.setText(tr("Capture with the camera"))
        self.photos_button.setText(tr("From photo files…"))
        self.form_back.setText(tr("Back"))
        self.capture_cancel.setText(tr("Cancel"))
        self.view.retranslate()
        self.save_button.setText(tr("Save anyway") if self.duplicate is not None else tr("Save"))
        self.retake_button.setText(tr("Try again"))
        self.another_button.setText(tr("Enroll another person"))
        self.done_button.setText(tr("Done"))
        self._render_status()
        self._render_rejected()
        self._render_duplicate()

    def _render_status(self) -> None:
        texts = {
            "": "",
            "need_name": tr("Please type a name and an ID."),
            "busy": tr("Reading photo {n}…").format(n=self._status_arg),
            "failed": tr("Capture failed: {why}").format(why=self._status_arg),
            "photos_failed": tr("No usable face in the photos: {why}").format(why=self._status_arg),
            "saved": tr("{name} is enrolled.").format(name=self._status_arg),
            "save_failed": tr("Not saved: {why}").format(why=self._status_arg),
            "frames": tr("{n} good pictures used.").format(n=self._status_arg),
        }
        text = texts.get(self._status_key, "")
        self.form_message.setText(text if self.pages.currentWidget() is self.form_page else "")
        self.review_title.setText(text)

    def _render_rejected(self) -> None:
        if not self._rejected:
            self.rejected_label.setText("")
            return
        parts = [f"{reason_text(k)}: {n}" for k, n in self._rejected.most_common(3)]
        self.rejected_label.setText(tr("Pictures not used") + " — " + ", ".join(parts))

    def _render_duplicate(self) -> None:
        dup = self.duplicate
        if dup is None:
            self.duplicate_label.setText("")
            return
        person, score = dup
        self.duplicate_label.setText(
            tr("This face looks like {name} (ID {id}), already enrolled. Save only if they are different people.").format(
                name=person.name, id=person.external_id
            )
            + f" ({score:.2f})"
        )

    def _set_status(self, key: str, arg: Any = "") -> None:
        self._status_key, self._status_arg = key, str(arg)
        self._render_status()

    # -- flow ------------------------------------------------------------------
    def enter(self, person: Any = None, **kwargs: Any) -> None:
        self.person = person
        self.restart()

    def leave(self) -> None:
        self._stop_capture()
        self.ctx.jobs.cancel(self._job)
        self._job = None

    def restart(self) -> None:
        self.template = None
        self.duplicate = None
        if self.person is not None:
            self.name_edit.setText(self.person.name)
            self.id_edit.setText(self.person.external_id or "")
        else:
            self.name_edit.clear()
            self.id_edit.clear()
        for edit in (self.name_edit, self.id_edit):
            edit.setReadOnly(self.person is not None)
        self.keyboard.setVisible(self.person is None)
        self.keyboard.set_target(self.name_edit)
        self.show_form()

    def show_form(self) -> None:
        self._stop_capture()
        self.pages.setCurrentWidget(self.form_page)
        self._set_status("")
        self.retranslate()

    def back(self) -> None:
        self.ctx.go("people" if self.person is not None else "admin_home")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QLineEdit):
            self.keyboard.set_target(watched)
        return super().eventFilter(watched, event)

    def _keyboard_done(self) -> None:
        if self.keyboard.target is self.name_edit:
            self.keyboard.set_target(self.id_edit)
            self.id_edit.setFocus()

    def _fields_ok(self) -> bool:
        self.keyboard.composer.commit()
        if self.name_edit.text().strip() and self.id_edit.text().strip():
            return True
        self._set_status("need_name")
        return False

    def start_capture(self) -> None:
        if not self._fields_ok():
            return
        self._rejected.clear()
        self.view.reset(self.ctx.settings.enroll.min_valid_frames)
        self.pages.setCurrentWidget(self.capture_page)
        self.retranslate()
        self._capturing = True
        self.ctx.worker.start_capture("enroll")

    def _stop_capture(self) -> None:
        if self._capturing:
            self._capturing = False
            self.ctx.worker.cancel_capture()

    def cancel_capture(self) -> None:
        self.show_form()

    def choose_photos(self) -> None:
        if not self._fields_ok():
            return
        files, _ = QFileDialog.getOpenFileNames(self, tr("Choose photos of the person"), str(Path.home()), PHOTO_FILTER)
        if files:
            self.enroll_from_files([Path(f) for f in files])

    def enroll_from_files(self, files: list[Path]) -> None:
        """One worker job per photo, so the screen counts them off and stays responsive."""
        if not self._fields_ok():
            return
        self.photos_button.setEnabled(False)
        self.camera_button.setEnabled(False)
        self._batch = PhotoBatch(list(files))
        self._next_photo()

    def _next_photo(self) -> None:
        batch = self._batch
        path = batch.next()
        if path is not None:
            self._set_status("busy", f"{batch.position}/{batch.total}")
            self._job = self.ctx.jobs.submit(embed_photo_job(path), self._photo_done, self._photo_failed)
            return
        self._job = None
        self.photos_button.setEnabled(True)
        self.camera_button.setEnabled(True)
        try:
            template = batch.template(self.ctx.analyzer.pack.thresholds.low)
        except KioskError as exc:
            why = "; ".join(batch.skipped.values()) or exc.message
            self._set_status("photos_failed", why)
            return
        self._review(template)
        if batch.skipped:
            skipped = "; ".join(f"{name}: {why}" for name, why in batch.skipped.items())
            self.review_detail.setText(tr("Photos not used: {files}").format(files=skipped))

    def _photo_done(self, observation: Any) -> None:
        self._batch.add(observation)
        self._next_photo()

    def _photo_failed(self, exc: BaseException) -> None:
        self._batch.skip(getattr(exc, "message", None) or str(exc))
        self._next_photo()

    # -- camera callbacks ------------------------------------------------------
    def on_frame(self, image: Any) -> None:
        if self._capturing:
            self.view.show_frame(image)

    def on_report(self, report: Any) -> None:
        if not self._capturing:
            return
        self.view.show_report(report)
        if getattr(report, "analyzed", True) and not getattr(report, "accepted", False):
            for reason in getattr(report, "reasons", None) or []:
                self._rejected[reason] += 1
            self._render_rejected()

    def on_progress(self, done: int, total: int) -> None:
        if self._capturing:
            self.view.show_progress(done, total)

    def on_result(self, result: Any) -> None:
        if not self._capturing:
            return
        self._capturing = False
        if result.outcome != "ok" or result.template is None:
            self.show_form()
            self._set_status("failed", reason_text(result.outcome))
            return
        self._review(result.template)

    # -- review and save -------------------------------------------------------
    def _review(self, template: Any) -> None:
        self.template = template
        self.duplicate = None
        try:
            found = self.ctx.registry.find_duplicate(template.vector, exclude=self.person.id if self.person else None)
        except KioskError as exc:
            log.error("duplicate check failed: %s", exc)
            found = None
        self.duplicate = found
        self.pages.setCurrentWidget(self.review_page)
        self.save_button.setVisible(True)
        self.retake_button.setVisible(True)
        self.another_button.setVisible(False)
        self.done_button.setVisible(False)
        self._set_status("frames", template.frames_used)
        self.review_detail.setText("")
        self.retranslate()

    def save(self) -> None:
        if self.template is None:
            return
        name, external_id = self.name_edit.text().strip(), self.id_edit.text().strip()
        try:
            if self.person is not None:
                self.ctx.registry.re_enroll(self.person.id, self.template, allow_duplicate=self.duplicate is not None)
            else:
                self.ctx.registry.enroll(name, external_id, self.template, allow_duplicate=self.duplicate is not None)
        except KioskError as exc:  # DuplicateError included: the ID may belong to someone else
            self._set_status("save_failed", exc.message)
            return
        self.template = None
        self.duplicate = None
        self.save_button.setVisible(False)
        self.retake_button.setVisible(False)
        self.another_button.setVisible(self.person is None)
        self.done_button.setVisible(True)
        self.duplicate_label.setText("")
        self._set_status("saved", name)
        self.retranslate()
