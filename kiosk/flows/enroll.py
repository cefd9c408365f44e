"""Enrollment and re-enrollment: photos or a capture -> one template -> duplicate check -> save -> audit.

The rules, the same for ``kiosk users add`` and the kiosk's enroll screen:

* each photo must show exactly one face (a group photo could enrol the wrong
  person); an unusable photo is skipped with the reason, and one good photo is
  enough;
* with several photos, one that disagrees with the rest (cosine to their mean
  below the decision band's *low* threshold, the setting else the pack's: below it
  even the same person rarely scores) is dropped and named. Photos differ in light,
  age and camera far more than the frames of one capture, so the capture
  profile's stricter bar does not apply;
* a face already enrolled as someone else is refused unless explicitly allowed,
  and a refused enrollment is audited (``enroll_refused``);
* the review lists every picture, used or not and why, with its face crop, and the
  best one is kept with the person (``kiosk.flows.faces``; the registry drops it when
  ``enroll.store_face_crops`` is off).

``Enrollment`` is the enroll screen's state: the screen shows ``step`` and
``status`` and forwards touches and camera results to it; every change is announced on
``Enrollment.changed`` (an ``EnrollmentChanged`` saying how much to redraw), so the screen
renders on the event instead of remembering to after each call.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from kiosk.emitter import Emitter
from kiosk.engine.aggregate import aggregate
from kiosk.engine.images import IMAGE_EXTENSIONS
from kiosk.engine.types import OUTLIER, AggregatedTemplate, FaceObservation
from kiosk.errors import DuplicateError, FaceNotFoundError, ImageError, KioskError, MultipleFacesError, NotEnoughFramesError
from kiosk.flows import consent as consent_policy
from kiosk.flows.faces import MAX_REJECTED_SHOWN, Picture, encode_crop, reason_of, review
from kiosk.match.types import PersonRef
from kiosk.store.people import Consent

if TYPE_CHECKING:
    from kiosk.capture.types import CaptureResult, FrameReport
    from kiosk.engine.analyzer import FaceAnalyzer
    from kiosk.registry import Registry

log = logging.getLogger(__name__)

# A photo that cannot be used for one of these reasons is skipped; anything else is a real failure.
PHOTO_PROBLEMS = (ImageError, FaceNotFoundError, MultipleFacesError)


@dataclass(frozen=True)
class Skip:
    path: str
    why: str
    reason: str = ""  # the review's key (kiosk.flows.faces.Picture.reason)


def expand_photos(items: list[str | Path]) -> list[Path]:
    """Files as given; folders contribute their image files (sorted, not recursive)."""
    photos: list[Path] = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            photos += sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_EXTENSIONS)
        else:
            photos.append(path)
    return photos


def embed_photo(analyzer: FaceAnalyzer, path: Path) -> FaceObservation:
    """The one face of an enrollment photo, embedded (raises one of ``PHOTO_PROBLEMS``)."""
    return analyzer.embed_image(Path(path), policy="single")


def outlier_cosine(registry: Registry) -> float:
    """The decision band's low threshold in force (the setting, else the pack's)."""
    return registry.bands.low


@dataclass
class PhotoBatch:
    """Photos of one person embedded one at a time (the kiosk sends each to the camera worker, the CLI loops)."""

    files: list[Path]
    observations: list[FaceObservation] = field(default_factory=list)
    used: list[Path] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)
    position: int = 0
    pictures: list[Picture] = field(default_factory=list)  # every file, in order, once ``template`` ran
    best_crop: np.ndarray | None = None

    @property
    def total(self) -> int:
        return len(self.files)

    def next(self) -> Path | None:
        if self.position >= len(self.files):
            return None
        self.position += 1
        return self.files[self.position - 1]

    def add(self, observation: FaceObservation) -> None:
        self.observations.append(observation)
        self.used.append(self.files[self.position - 1])

    def skip(self, exc: BaseException) -> None:
        photo = self.files[self.position - 1]
        why = getattr(exc, "message", None) or str(exc)
        self.skips.append(Skip(str(photo), why.removeprefix(f"{photo}: "), reason_of(exc)))

    def template(self, outlier_cosine: float) -> AggregatedTemplate:
        """Raises ``NotEnoughFramesError`` when no photo had a usable face; names the outliers it dropped."""
        if not self.observations:
            raise NotEnoughFramesError("no usable photo: each needs exactly one clear face", hint="; ".join(f"{s.path}: {s.why}" for s in self.skips) or None)
        template = aggregate(self.observations, min_valid=1, outlier_cosine=outlier_cosine)
        seen, self.best_crop = review(self.observations, [p.name for p in self.used], template)
        for photo, picture in zip(self.used, seen):
            if not picture.used:
                self.skips.append(Skip(str(photo), f"does not look like the other photos (similarity {picture.similarity:.2f})", picture.reason))
        by_file = dict(zip(self.used, seen)) | {Path(s.path): Picture(Path(s.path).name, used=False, reason=s.reason) for s in self.skips if s.reason not in ("", OUTLIER)}
        self.pictures = [by_file[f] for f in self.files[: self.position] if f in by_file]
        return template


def read_photos(analyzer: FaceAnalyzer, photos: list[Path]) -> PhotoBatch:
    """Every photo embedded (or skipped with its reason) on the calling thread (the CLI)."""
    batch = PhotoBatch(list(photos))
    while (photo := batch.next()) is not None:
        try:
            batch.add(embed_photo(analyzer, photo))
        except PHOTO_PROBLEMS as exc:
            batch.skip(exc)
    return batch


def template_from_photos(analyzer: FaceAnalyzer, photos: list[Path], outlier_cosine: float) -> tuple[AggregatedTemplate, list[Skip]]:
    """One template from several photos of one person, and the photos it skipped."""
    batch = read_photos(analyzer, photos)
    return batch.template(outlier_cosine), batch.skips


def find_duplicate(registry: Registry, template: AggregatedTemplate, person: PersonRef | None = None) -> tuple[PersonRef, float] | None:
    """Someone else already enrolled with this face (a re-enrolled person is not their own duplicate)."""
    return registry.find_duplicate(template.vector, exclude=None if person is None else person.id)


def save(
    registry: Registry,
    name: str,
    external_id: str,
    template: AggregatedTemplate,
    *,
    person: PersonRef | None = None,
    allow_duplicate: bool = False,
    face: np.ndarray | None = None,
    consent: Consent | None = None,
    consent_required: bool = False,
) -> PersonRef:
    """Enroll (or re-enroll ``person``) with ``face`` as their crop and ``consent`` as what they
    agreed to; a refusal (a duplicate, no consent where required) is audited as ``enroll_refused`` and raised."""
    crop = None if face is None else encode_crop(face)
    try:
        consent_policy.check(consent, consent_required)
        if person is not None:
            registry.re_enroll(person.id, template, allow_duplicate=allow_duplicate, face=crop, consent=consent)
            return person
        return registry.enroll(name, external_id, template, allow_duplicate=allow_duplicate, face=crop, consent=consent)
    except consent_policy.ConsentRequired as exc:
        registry.audit("enroll_refused", person_id=None if person is None else person.id, detail=exc.message)
        raise
    except DuplicateError as exc:
        registry.audit("enroll_refused", person_id=None if exc.person is None else exc.person.id, score=exc.score, detail=exc.message)
        raise


def save_look(registry: Registry, person: PersonRef, look: str, template: AggregatedTemplate, *, allow_duplicate: bool = False) -> None:
    """Re-enroll one chosen look of ``person`` (the others stay); a refusal is audited as ``save`` does."""
    try:
        registry.re_enroll(person.id, template, allow_duplicate=allow_duplicate, look=look)
    except DuplicateError as exc:
        registry.audit("enroll_refused", person_id=None if exc.person is None else exc.person.id, score=exc.score, detail=exc.message)
        raise


class Step(StrEnum):
    FORM = "form"  # name and ID; also where a failed capture or photo batch comes back to
    CAPTURING = "capturing"
    READING = "reading"  # photo files being embedded one at a time
    REVIEW = "review"  # a template to save, perhaps with a look-alike warning
    SAVED = "saved"


class Status(StrEnum):
    """The one line the screen shows about the enrollment (``Enrollment.status_arg`` fills it in)."""

    NONE = ""
    NEED_NAME = "need_name"
    BUSY = "busy"
    FAILED = "failed"
    PHOTOS_FAILED = "photos_failed"
    SAVED = "saved"
    SAVE_FAILED = "save_failed"
    NEED_CONSENT = "need_consent"  # enroll.consent_required and the box is not ticked
    FRAMES = "frames"


# The lines that say something went wrong: shown as an error, and gone once the admin types.
ERRORS = frozenset({Status.NEED_NAME, Status.FAILED, Status.PHOTOS_FAILED, Status.SAVE_FAILED})


class Change(StrEnum):
    """How much of the enrollment changed: what a view needs to redraw."""

    STEP = "step"  # the step, the page or what it shows: everything
    STATUS = "status"  # the status line only
    FRAMES = "frames"  # a capture frame was counted: the rejection tally only


@dataclass(frozen=True)
class EnrollmentChanged:
    flow: Enrollment
    change: Change


class Enrollment:
    """One enrollment (or re-enrollment of ``person``) at the kiosk, from start to saved."""

    def __init__(
        self,
        registry: Registry,
        person: PersonRef | None = None,
        *,
        consent_required: bool = False,
        add_look: bool = False,
        look_label: str = "",
        max_looks: int = 3,
        replace_look: str | None = None,
    ) -> None:
        self.registry = registry
        self.person = person  # PersonSummary/PersonRef when re-enrolling (or adding a look)
        self.consent_required = consent_required  # enroll.consent_required
        # Adding a look (kiosk/flows/looks.py) to ``person``, or replacing one chosen look,
        # instead of replacing all their looks.
        self.add_look, self.look_label, self.max_looks = add_look and person is not None, look_label, max_looks
        self.replace_look = replace_look if person is not None else None
        self.step = Step.FORM
        self.status, self.status_arg = Status.NONE, ""
        self.template: AggregatedTemplate | None = None
        self.duplicate: tuple[PersonRef, float] | None = None
        self.rejected: Counter[str] = Counter()  # frame rejection reasons during a capture
        self.batch = PhotoBatch([])
        self.pictures: list[Picture] = []  # what the review shows: used and not used, with why
        self.face: np.ndarray | None = None  # the crop kept with the person (and shown beside a look-alike)
        self._frames: list[FaceObservation] = []  # a capture's accepted frames, in order
        self._rejected_shown: list[Picture] = []  # one rejected frame per reason
        self._frames_rejected = 0
        self.saved: PersonRef | None = None  # who was saved (card + face: their PIN can be set next)
        # The review's Save showed the consent page first (enroll.consent_required); only in REVIEW.
        self.asking_consent = False
        self.changed: Emitter[EnrollmentChanged] = Emitter()

    @property
    def re_enrolling(self) -> bool:
        return self.person is not None

    def _set(self, step: Step, status: Status = Status.NONE, arg: Any = "") -> None:
        self.step, self.status, self.status_arg = step, status, str(arg)
        self.asking_consent = self.asking_consent and step == Step.REVIEW
        self._emit(Change.STEP)

    def _set_status(self, status: Status, arg: Any = "") -> None:
        self.status, self.status_arg = status, str(arg)
        self._emit(Change.STATUS)

    def _emit(self, change: Change) -> None:
        self.changed.emit(EnrollmentChanged(self, change))

    def show_form(self) -> None:
        self.template, self.duplicate, self.pictures, self.face = None, None, [], None
        self._set(Step.FORM)

    def check_fields(self, name: str, external_id: str) -> bool:
        if name.strip() and external_id.strip():
            return True
        self._set(Step.FORM, Status.NEED_NAME)
        return False

    def fields_changed(self, name: str, external_id: str) -> None:
        """Typing: the request for a name and an ID goes once both are there (issue 15); a failed
        capture, photo batch or save is answered by the next attempt, so it goes at once (issue 21)."""
        if self.status == Status.NEED_NAME and name.strip() and external_id.strip() or self.status in ERRORS - {Status.NEED_NAME}:
            self._set_status(Status.NONE)

    def consent_ticked(self) -> None:
        """The consent box ticked after a refused save: the request to tick it goes."""
        if self.status == Status.NEED_CONSENT:
            self._set_status(Status.NONE)

    @property
    def failed(self) -> bool:
        """Whether the status line is an error (the screen styles it so)."""
        return self.status in ERRORS

    # -- from a capture ----------------------------------------------------------
    def start_capture(self) -> None:
        self.rejected.clear()
        self.batch = PhotoBatch([])
        self._frames, self._rejected_shown, self._frames_rejected = [], [], 0
        self._set(Step.CAPTURING)

    def frame_rejected(self, reasons: list[str]) -> None:
        for reason in reasons:
            self.rejected[reason] += 1

    def frame_analyzed(self, report: FrameReport) -> None:
        """An analyzed capture frame: an accepted one goes into the review, a rejected one
        is counted (and shown, with its crop, if it is the first with that reason)."""
        self._count_frame(report)
        self._emit(Change.FRAMES)

    def _count_frame(self, report: FrameReport) -> None:
        if report.accepted and report.chosen is not None:
            self._frames.append(report.chosen)
            return
        self.frame_rejected(report.reasons)
        self._frames_rejected += bool(report.reasons)
        crop = None if report.chosen is None else report.chosen.aligned
        shown = {p.reason for p in self._rejected_shown}
        if report.reasons and crop is not None and report.reasons[0] not in shown and len(shown) < MAX_REJECTED_SHOWN:
            self._rejected_shown.append(Picture("", used=False, reason=report.reasons[0], crop=crop))

    def capture_finished(self, result: CaptureResult) -> None:
        if result.template is None or not result.ok:
            self._set(Step.FORM, Status.FAILED, result.outcome)
            return
        frames, face = review(self._frames, [""] * len(self._frames), result.template)
        self.review(result.template, frames + self._rejected_shown, face)

    # -- from photo files --------------------------------------------------------
    def start_photos(self, files: list[Path]) -> Path | None:
        """The first photo to embed."""
        self.batch = PhotoBatch(list(files))
        self._set(Step.READING)
        return self.next_photo()

    def photo_read(self, observation: FaceObservation | None, error: BaseException | None = None) -> Path | None:
        """Note one embedded photo (or why it failed); the next photo, or None when the batch is done."""
        if error is not None:
            self.batch.skip(error)
        else:
            assert observation is not None  # the caller gives a face or the error
            self.batch.add(observation)
        return self.next_photo()

    def next_photo(self) -> Path | None:
        path = self.batch.next()
        if path is not None:
            self._set(Step.READING, Status.BUSY, f"{self.batch.position}/{self.batch.total}")
            return path
        try:
            template = self.batch.template(outlier_cosine(self.registry))
        except KioskError as exc:
            # Each photo by its file name: "2 faces" alone does not say which of ten photos (issue 21).
            self._set(Step.FORM, Status.PHOTOS_FAILED, "; ".join(f"{Path(s.path).name}: {s.why}" for s in self.batch.skips) or exc.message)
            return None
        self.review(template, self.batch.pictures, self.batch.best_crop)
        return None

    @property
    def unused_count(self) -> int:
        """Pictures that did not go into the template: every skipped photo, or every rejected
        capture frame (the review shows one example per reason) and the outliers."""
        outliers = sum(p.reason == OUTLIER for p in self.pictures)
        return len(self.batch.skips) if self.batch.files else self._frames_rejected + outliers

    @property
    def photo_skips(self) -> list[Skip]:
        return list(self.batch.skips)

    # -- review and save ---------------------------------------------------------
    def review(self, template: AggregatedTemplate, pictures: list[Picture] | None = None, face: np.ndarray | None = None) -> None:
        self.template = template
        self.pictures, self.face = list(pictures or []), face
        try:
            self.duplicate = find_duplicate(self.registry, template, self.person)
        except KioskError as exc:
            log.error("duplicate check failed: %s", exc)
            self.duplicate = None
        self._set(Step.REVIEW, Status.FRAMES, template.frames_used)

    def ask_consent(self, shown: bool = True) -> None:
        """The review's Save shows the consent page first; its Back returns to the review (``shown=False``)."""
        self.asking_consent = shown and self.step == Step.REVIEW
        self._emit(Change.STEP)

    def _look_owner(self) -> PersonRef:
        """The person a look is added to or replaced for (given whenever add_look or replace_look is)."""
        if self.person is None:
            raise KioskError("a look needs the person it belongs to", hint="open the enrollment from that person's page")
        return self.person

    def save(self, name: str, external_id: str, consent: Consent | None = None) -> bool:
        """Saving after a look-alike warning is the admin's explicit "save anyway";
        ``consent``: the person ticked the consent box (None: they did not)."""
        if self.step != Step.REVIEW or self.template is None:
            return False
        try:
            if self.add_look:
                from kiosk.flows.looks import add_look  # looks.py builds on this module

                add_look(self.registry, self._look_owner(), self.template, label=self.look_label, max_looks=self.max_looks)
            elif self.replace_look is not None:
                save_look(self.registry, self._look_owner(), self.replace_look, self.template, allow_duplicate=self.duplicate is not None)
            else:
                self.saved = save(
                    self.registry, name, external_id, self.template, person=self.person, allow_duplicate=self.duplicate is not None, face=self.face,
                    consent=consent, consent_required=self.consent_required,
                )  # fmt: skip
        except consent_policy.ConsentRequired:
            self.asking_consent = True  # the consent page, asking for the tick
            self._set(Step.REVIEW, Status.NEED_CONSENT)
            return False
        except KioskError as exc:  # DuplicateError included: the ID may belong to someone else
            self.asking_consent = False  # back on the review, which says why
            self._set(Step.REVIEW, Status.SAVE_FAILED, exc.message)
            return False
        self.template, self.duplicate, self.pictures = None, None, []
        self._set(Step.SAVED, Status.SAVED, name.strip())
        return True
