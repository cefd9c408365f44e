"""Enrollment: name and ID by touch keyboard, capture with live feedback, duplicate check, save.

Also re-enrollment of an existing person (a new template after a model change),
and enrollment from photo files through worker jobs. The rules and the state are
``kiosk.flows.enroll.Enrollment``'s (the same as ``kiosk users add``); this screen
shows its ``step`` and ``status`` and forwards touches and camera results to it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.engine.images import IMAGE_EXTENSIONS
from kiosk.flows import consent as consent_policy
from kiosk.flows.enroll import Change, Enrollment, EnrollmentChanged, Status, Step
from kiosk.flows.faces import Picture
from kiosk.ui.i18n import tr, trn
from kiosk.ui.jobs import embed_photo_job
from kiosk.ui.navigation import ScreenName
from kiosk.ui.screens.base import Screen, button, label, touch_scroll
from kiosk.ui.texts import advice_text, reason_text
from kiosk.ui.widgets.capture_view import CaptureView
from kiosk.ui.widgets.faces import FaceStrip, wrappable
from kiosk.ui.widgets.keyboard import TouchKeyboard

if TYPE_CHECKING:
    from kiosk.capture.types import CaptureResult, FrameReport
    from kiosk.engine.types import FaceObservation

PHOTO_FILTER = "Images (" + " ".join(f"*{ext}" for ext in sorted(IMAGE_EXTENSIONS)) + ")"


class EnrollScreen(Screen):
    name = ScreenName.ENROLL

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._look_mode: tuple[bool, str, str | None] = (False, "", None)  # adding a look to ``person`` (its label); the look replaced
        self.title = label("title")
        self.pages = QStackedWidget()
        self._build_form()
        self._build_capture()
        self._build_review()
        self._build_consent()
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.pages, 1)
        # Built as the screen shows (an admin screen: the model has opened the database by then).
        self._flow: Enrollment | None = None
        self._unsubscribe: Callable[[], None] = lambda: None  # from the flow on show's ``changed``
        self._job: str | None = None
        self.retranslate()

    @property
    def flow(self) -> Enrollment:
        """The enrollment on show; there is none before the screen first showed."""
        if self._flow is None:
            raise RuntimeError("the enroll screen has not been shown yet: enter() starts an enrollment")
        return self._flow

    @property
    def person(self) -> Any:
        """The person being re-enrolled, or None for a new enrollment."""
        return None if self._flow is None else self._flow.person

    @property
    def duplicate(self) -> Any:
        return None if self._flow is None else self._flow.duplicate

    # -- pages -----------------------------------------------------------------
    def _build_form(self) -> None:
        page = QWidget()
        self.name_edit = QLineEdit()
        self.id_edit = QLineEdit()
        for edit in (self.name_edit, self.id_edit):
            edit.setMinimumHeight(64)
            edit.installEventFilter(self)
            edit.textChanged.connect(self._fields_changed)
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
        # The main action on a row of its own: at 762 px (the windowed default) the three side
        # by side cut their words ("3ack", "apture with the camer", issue 15).
        row = QHBoxLayout()
        for b in (self.form_back, self.photos_button):
            row.addWidget(b)
        # The keyboard below the fields and buttons on a portrait screen, beside them on a
        # landscape one (stacked, the form needs 939 px of height; a 1280x800 tablet has 800).
        # No stretch factors: beside, fields and keyboard (both expanding) share the width;
        # stacked, the space between fields and buttons takes the height, the keys stay together.
        fields = QVBoxLayout()
        fields.addLayout(form)
        fields.addWidget(self.form_message)
        fields.addStretch(1)
        fields.addWidget(self.camera_button)
        fields.addLayout(row)
        self.keyboard.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        box = self.adaptive_box()
        box.addLayout(fields)
        box.addWidget(self.keyboard, 0, Qt.AlignmentFlag.AlignBottom)
        v = QVBoxLayout(page)
        v.addLayout(box, 1)
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
        self.unused_label = label("detail")
        self.pictures_strip = FaceStrip()  # every picture of the enrollment: used, or not and why
        self.duplicate_strip = FaceStrip()  # the new face beside the look-alike's stored one
        self.save_button = button("save", self.ask_consent, primary=True)
        self.retake_button = button("retake", self.show_form)
        self.another_button = button("another", self.restart)
        self.done_button = button("done", self.back)
        self.pin_button = button("setPersonPin", self.set_person_pin)  # card + face: the fallback PIN next
        row = QHBoxLayout()
        for b in (self.retake_button, self.another_button, self.pin_button, self.done_button, self.save_button):
            row.addWidget(b)
        pictures, duplicate = QVBoxLayout(), QVBoxLayout()
        for w in (self.review_title, self.pictures_strip, self.unused_label, self.review_detail):
            pictures.addWidget(w)
        for w in (self.duplicate_label, self.duplicate_strip):
            duplicate.addWidget(w)
        faces = self.adaptive_box()  # the look-alike beside the pictures on a landscape screen (1280x800)
        faces.addLayout(pictures, 1)
        faces.addLayout(duplicate, 1)  # no look-alike: stretch 0, the pictures get the width (_render_duplicate)
        self._review_faces = faces
        v = QVBoxLayout(page)
        v.addStretch(1)
        v.addLayout(faces)
        v.addStretch(2)
        v.addLayout(row)
        self.pages.addWidget(page)
        self.review_page = page

    def _build_consent(self) -> None:
        """Between the review's Save and the save, where enroll.consent_required: the consent text,
        large, and the person's tick (kiosk/flows/consent.py). A page of its own: the review has
        no height to spare on a small screen."""
        page = QWidget()
        self.consent_title = label("subtitle")
        self.consent_text = label("consentText")
        self.consent_text.setWordWrap(True)
        self.consent_text.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)  # a paragraph to read, not a caption
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.consent_text)
        touch_scroll(scroll)
        self.consent_box = QCheckBox()
        self.consent_box.setObjectName("consentBox")
        self.consent_box.setMinimumHeight(56)
        self.consent_box.toggled.connect(self._consent_toggled)
        self.consent_message = label("formMessage")
        self.consent_back = button("back", self.hide_consent)
        self.consent_save = button("save", self.save, primary=True)
        row = QHBoxLayout()
        row.addWidget(self.consent_back)
        row.addWidget(self.consent_save)
        v = QVBoxLayout(page)
        v.addWidget(self.consent_title)
        v.addWidget(scroll, 1)
        v.addWidget(self.consent_box)
        v.addWidget(self.consent_message)
        v.addLayout(row)
        self.pages.addWidget(page)
        self.consent_page = page

    # -- rendering the flow ----------------------------------------------------
    def retranslate(self) -> None:
        if self.person is not None and self._look_mode[0]:
            self.title.setText(tr("Add a look to {name}").format(name=self.person.name))
        elif self.person is not None and self._look_mode[2] is not None:
            self.title.setText(tr("Replace a look of {name}").format(name=self.person.name))
        else:
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
        # A look-alike: the safe answer is the highlighted one, never "Save anyway" (issue 21).
        for b, primary in ((self.save_button, self.duplicate is None), (self.retake_button, self.duplicate is not None)):
            b.setProperty("role", "primary" if primary else "")
            b.style().polish(b)
        self.retake_button.setText(tr("Try again"))
        self.another_button.setText(tr("Enroll another person"))
        self.done_button.setText(tr("Done"))
        self.pin_button.setText(tr("Set personal PIN"))
        self.consent_title.setText(tr("Please read this to the person"))
        self.consent_text.setText(consent_text())
        required = self._flow is not None and self._flow.consent_required
        self.consent_box.setText(tr("The person has read this and agrees (required)") if required else tr("The person has read this and agrees"))
        self.consent_back.setText(tr("Back"))
        self.consent_save.setText(tr("Save"))
        if self._flow is None:  # a language switch before the screen first showed: nothing else to say
            return
        self._render_status()
        self._render_rejected()
        self._render_duplicate()
        self._render_skips()
        self._render_pictures()

    def render(self) -> None:  # type: ignore[override]  # the flow's view, not QWidget.render(target): Qt never calls it on a screen
        """Page, buttons and texts for the flow's current step."""
        step = self.flow.step
        review = self.consent_page if self.flow.asking_consent else self.review_page
        page = {Step.CAPTURING: self.capture_page, Step.REVIEW: review, Step.SAVED: self.review_page}.get(step, self.form_page)
        self.pages.setCurrentWidget(page)
        for b in (self.photos_button, self.camera_button):
            b.setEnabled(step != Step.READING)
        self.save_button.setVisible(step == Step.REVIEW)
        self.retake_button.setVisible(step == Step.REVIEW)
        self.another_button.setVisible(step == Step.SAVED and not self.flow.re_enrolling)
        self.done_button.setVisible(step == Step.SAVED)
        self.pin_button.setVisible(step == Step.SAVED and self.ctx.settings.login.pin_fallback and self.flow.saved is not None)
        self.retranslate()

    def _flow_changed(self, event: EnrollmentChanged) -> None:
        """The flow's every change: all of it redrawn, or only the line that changed."""
        if event.change == Change.STEP:
            self.render()
        elif event.change == Change.STATUS:
            self._render_status()
        else:
            self._render_rejected()

    def _consent_toggled(self, checked: bool) -> None:
        if checked:
            self.flow.consent_ticked()

    def _fields_changed(self, _text: str) -> None:
        self.flow.fields_changed(self.name_edit.text(), self.id_edit.text())

    def _render_status(self) -> None:
        arg = self.flow.status_arg
        texts = {
            Status.NONE: "",
            Status.NEED_NAME: tr("Please type a name and an ID."),
            Status.BUSY: tr("Reading photo {n}…").format(n=arg),
            Status.FAILED: ". ".join(filter(None, (tr("Capture failed: {why}").format(why=reason_text(arg)), advice_text(arg)))),
            Status.PHOTOS_FAILED: tr("No usable face in the photos: {why}").format(why=arg),
            Status.SAVED: tr("{name} is enrolled.").format(name=arg),
            Status.SAVE_FAILED: tr("Not saved: {why}").format(why=arg),
            Status.NEED_CONSENT: tr("Not saved: this kiosk enrolls only people who agree. Tick the box once the person has agreed."),
            # status_arg is the frame count only while the status is FRAMES ("1/4" while reading photos)
            Status.FRAMES: trn("%n good picture(s) used.", int(arg)) if self.flow.status == Status.FRAMES else "",
        }
        text = texts[self.flow.status]
        self.form_message.setText(text if self.pages.currentWidget() is self.form_page else "")
        self.form_message.setProperty("role", "error" if self.flow.failed else "")
        self.form_message.style().polish(self.form_message)
        self.consent_message.setText(text if self.flow.status == Status.NEED_CONSENT else "")
        self.review_title.setText(text)

    def _render_rejected(self) -> None:
        rejected = self.flow.rejected
        if not rejected:
            self.rejected_label.setText("")
            return
        parts = [f"{reason_text(k)}: {n}" for k, n in rejected.most_common(3)]
        self.rejected_label.setText(tr("Pictures not used") + " — " + ", ".join(parts))

    def _render_duplicate(self) -> None:
        dup = self.duplicate
        self._review_faces.setStretch(1, 1 if dup is not None and self.flow.step == Step.REVIEW else 0)
        if dup is None or self.flow.step != Step.REVIEW:
            self.duplicate_label.setText("")
            self.duplicate_strip.show_faces([])
            return
        person, score = dup
        new_name = self.name_edit.text().strip() or tr("New person")
        self.duplicate_strip.show_faces(
            [
                (self.flow.face, tr("New: {name}").format(name=new_name), None),
                (self._stored_face(person.id), tr("Enrolled: {name}").format(name=person.name), None),
            ]
        )
        threshold = self.ctx.registry.duplicate_threshold if self.ctx.registry is not None else score
        self.duplicate_label.setText(
            tr(
                "Looks like {name} (ID {id}): similarity {score}, where {threshold} counts as the same person. "
                "If both are saved, both may be told “We could not be sure it is you”."
            ).format(name=person.name, id=person.external_id, score=f"{score:.2f}", threshold=f"{threshold:.2f}")
        )

    def _render_skips(self) -> None:
        skips = self.flow.photo_skips if self.flow.step == Step.REVIEW else []
        # The reason's words in the viewer's language (the flow's ``why`` is the CLI's English).
        text = "; ".join(f"{Path(s.path).name}: {reason_text(s.reason) if s.reason else s.why}" for s in skips)
        self.review_detail.setText(tr("Photos not used: {files}").format(files=text) if skips else "")

    def _stored_face(self, person_id: int) -> bytes | None:
        """None also while the window shuts down (the registry is closed first)."""
        registry = self.ctx.registry
        return None if registry is None else registry.face(person_id)

    def _render_pictures(self) -> None:
        pictures = self.flow.pictures if self.flow.step == Step.REVIEW else []
        ordered = [p for p in pictures if p.used] + [p for p in pictures if not p.used]
        self.pictures_strip.show_faces([(p.crop, picture_caption(p), p.used) for p in ordered])
        unused = self.flow.unused_count if pictures else 0
        self.unused_label.setText(trn("%n picture(s) not used.", unused) if unused else "")

    # -- touches ---------------------------------------------------------------
    def enter(self, person: Any = None, add_look: bool = False, look_label: str = "", replace_look: str | None = None, **kwargs: Any) -> None:
        """``add_look``: the people screen's "Add a look" (kiosk/flows/looks.py) for ``person``;
        ``replace_look``: its "Replace look" (that look re-enrolled, the others kept)."""
        self._look_mode = (add_look and person is not None, look_label, replace_look if person is not None else None)
        self._begin(person)

    def _new_flow(self, person: Any) -> Enrollment:
        """A new enrollment needs consent where enroll.consent_required; a re-enrollment records a new one when ticked."""
        add_look, look_label, replace_look = self._look_mode
        required = self.ctx.settings.enroll.consent_required and person is None
        return Enrollment(
            self.ctx.model.services.require_registry(),
            person,
            consent_required=required,
            add_look=add_look,
            look_label=look_label,
            max_looks=self.ctx.settings.enroll.max_looks,
            replace_look=replace_look,
        )

    def leave(self) -> None:
        self.ctx.capture.release(self.name)
        self.ctx.jobs.cancel(self._job)
        self._job = None
        self._unsubscribe()
        self._unsubscribe = lambda: None

    def restart(self) -> None:
        """"Enroll another person" (or the same re-enrollment again): a fresh flow, the form."""
        self._begin(self.person)

    def _begin(self, person: Any) -> None:
        self._unsubscribe()
        self._flow = self._new_flow(person)
        self._unsubscribe = self._flow.changed.connect(self._flow_changed)
        self.consent_box.setChecked(False)
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

    def set_person_pin(self) -> None:
        """Card + face's fallback PIN for the person just saved: the people screen's PIN pad."""
        if self.flow.saved is not None:
            self.ctx.go(ScreenName.PEOPLE, person_id=self.flow.saved.id, set_pin=True)

    def show_form(self) -> None:
        self.ctx.capture.release(self.name)
        self.flow.show_form()

    def back(self) -> None:
        self.ctx.go(ScreenName.PEOPLE if self.person is not None else ScreenName.ADMIN_HOME)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QLineEdit):
            self.keyboard.set_target(watched)
        return super().eventFilter(watched, event)

    def _keyboard_done(self) -> None:
        if self.keyboard.target is self.name_edit:
            self.keyboard.set_target(self.id_edit)
            self.id_edit.setFocus()

    def _fields(self) -> tuple[str, str]:
        return self.name_edit.text().strip(), self.id_edit.text().strip()

    def _fields_ok(self) -> bool:
        self.keyboard.composer.commit()
        return self.flow.check_fields(*self._fields())

    def start_capture(self) -> None:
        if not self._fields_ok():
            return
        self.view.reset(self.ctx.settings.enroll.min_valid_frames)
        self.flow.start_capture()
        self.ctx.capture.start(self.name, "enroll")

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
        self._submit(self.flow.start_photos(files))

    def _submit(self, path: Path | None) -> None:
        self._job = None if path is None else self.ctx.jobs.submit(embed_photo_job(path), self._photo_done, self._photo_failed)

    def _photo_done(self, observation: FaceObservation) -> None:
        self._submit(self.flow.photo_read(observation))

    def _photo_failed(self, exc: BaseException) -> None:
        self._submit(self.flow.photo_read(None, exc))

    def ask_consent(self) -> None:
        """The review's Save: with enroll.consent_required the consent page comes first (for a
        re-enrollment too, where a tick records a new consent); without it, saved as it is."""
        if not self.ctx.settings.enroll.consent_required:
            self.save()
            return
        self.flow.ask_consent()

    def hide_consent(self) -> None:
        self.flow.ask_consent(shown=False)

    def save(self) -> None:
        consent = consent_policy.given_now() if self.consent_box.isChecked() else None
        self.flow.save(*self._fields(), consent)  # saved, or why not: on the consent page or the review

    # -- camera callbacks ------------------------------------------------------
    # Reports, progress and the result come only from the capture this screen started
    # (the model routes them to the capture's owner); frames show only while it runs.
    def on_frame(self, image: QImage) -> None:
        if self.flow.step == Step.CAPTURING:
            self.view.show_frame(image)

    def on_report(self, report: FrameReport) -> None:
        self.view.show_report(report)
        if report.analyzed:
            self.flow.frame_analyzed(report)

    def on_progress(self, done: int, total: int) -> None:
        self.view.show_progress(done, total)

    def on_result(self, result: CaptureResult) -> None:
        self.flow.capture_finished(result)


def picture_caption(picture: Picture) -> str:
    """"Used" or why not, in words for the admin; a photo's file name under it."""
    why = tr("Used") if not picture.reason else tr("Not used: {why}").format(why=reason_text(picture.reason))
    return f"{why}\n{wrappable(picture.source)}" if picture.source else why


def consent_text() -> str:
    """The consent text the checkbox agrees to, version ``consent.TEXT_VERSION``: change the
    words only together with that version."""
    return tr(
        "Consent (version {version}): this kiosk keeps your name, your ID, an encrypted face template made from these pictures "
        "and, if the kiosk is set to, one small face picture, to recognise you when you sign in. It records each sign-in. "
        "Nothing leaves the kiosk except the events it is set to send. You can ask what it holds about you, and to be deleted, at any time."
    ).format(version=consent_policy.TEXT_VERSION)
