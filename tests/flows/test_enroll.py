"""Enrollment rules on the real models and database: skips and outliers named, duplicates refused and audited."""

from __future__ import annotations

import shutil

import pytest

from kiosk.config import load_settings
from kiosk.errors import DuplicateError, NotEnoughFramesError
from kiosk.flows import consent, enroll
from kiosk.flows.enroll import Change, Enrollment, EnrollmentChanged, Status, Step
from kiosk.registry import Registry


@pytest.fixture
def mixed(faces_dir, tmp_path):
    """Three photos of deepface P01, one of P02 (img3: cosine to P01's at most 0.15), one unreadable file."""
    folder = tmp_path / "photos"
    folder.mkdir()
    for name in ("img1.jpg", "img2.jpg", "img4.jpg", "img3.jpg"):
        shutil.copy(faces_dir / "deepface" / name, folder / name)
    (folder / "broken.jpg").write_bytes(b"not a jpeg")
    return sorted(folder.iterdir())


def test_a_photo_of_someone_else_is_dropped_and_named_against_the_bands_low_threshold(analyzer, mixed, registry):
    template, skips = enroll.template_from_photos(analyzer, mixed, enroll.outlier_cosine(registry))
    assert template.frames_used == 3
    why = {s.path.rsplit("/", 1)[-1]: s.why for s in skips}
    assert sorted(why) == ["broken.jpg", "img3.jpg"]
    assert why["img3.jpg"].startswith("does not look like the other photos (similarity ")


def test_the_outlier_bar_is_the_setting_when_one_is_set(analyzer, mixed, data_dir, models_dir, pack):
    settings = load_settings(data_dir=data_dir, overrides={"models": str(models_dir), "match.low": -1.0})
    with Registry.open(settings, pack) as registry:
        assert enroll.outlier_cosine(registry) == -1.0
        template, skips = enroll.template_from_photos(analyzer, mixed, enroll.outlier_cosine(registry))
    assert template.frames_used == 4 and [s.path.rsplit("/", 1)[-1] for s in skips] == ["broken.jpg"]


def test_no_usable_photo_names_every_file(analyzer, tmp_path):
    bad = tmp_path / "empty.png"
    bad.write_bytes(b"")
    with pytest.raises(NotEnoughFramesError) as caught:
        enroll.template_from_photos(analyzer, [bad], 0.3)
    assert "empty.png" in caught.value.hint


def test_enrollment_steps_from_photos_to_saved_and_a_refusal_is_audited(analyzer, faces_dir, registry):
    deep = faces_dir / "deepface"
    flow = Enrollment(registry)
    assert not flow.check_fields(" ", "P01") and flow.status == Status.NEED_NAME
    flow.fields_changed("Angelina", " ")
    assert flow.status == Status.NEED_NAME  # one still missing: the request stays
    flow.fields_changed("Angelina", "P01")
    assert flow.status == Status.NONE  # both typed: it goes
    path = flow.start_photos([deep / "img1.jpg", deep / "img2.jpg"])
    while path is not None:
        assert flow.step == Step.READING and flow.status == Status.BUSY
        path = flow.photo_read(enroll.embed_photo(analyzer, path))
    assert (flow.step, flow.status, flow.status_arg, flow.duplicate) == (Step.REVIEW, Status.FRAMES, "2", None)
    assert flow.save("Angelina Jolie", "P01") and flow.step == Step.SAVED
    assert [p.external_id for p in registry.people()] == ["P01"]

    again = Enrollment(registry)
    again.start_photos([deep / "img5.jpg"])
    again.photo_read(enroll.embed_photo(analyzer, deep / "img5.jpg"))
    person, score = again.duplicate  # the same face: warned before saving
    assert person.external_id == "P01" and score >= registry.duplicate_threshold
    assert not again.save("Someone", "P01")  # "save anyway" allows the face, but the ID is taken
    assert again.step == Step.REVIEW and again.status == Status.SAVE_FAILED and "already enrolled" in again.status_arg
    refused = registry.audit_log(event="enroll_refused")
    assert len(refused) == 1 and refused[0].person_id == person.id

    with pytest.raises(DuplicateError):  # without "save anyway", the face itself is refused
        enroll.save(registry, "Someone", "P02", again.template)
    assert len(registry.audit_log(event="enroll_refused")) == 2


def test_every_change_is_announced_once_in_order(analyzer, faces_dir, registry):
    """One enrollment from two photos with the consent page: what the screen renders on."""
    deep = faces_dir / "deepface"
    flow = Enrollment(registry, consent_required=True)
    seen: list[tuple[Change, Step, Status, bool]] = []

    def note(event: EnrollmentChanged) -> None:
        assert event.flow is flow
        seen.append((event.change, flow.step, flow.status, flow.asking_consent))

    flow.changed.connect(note)
    flow.fields_changed("Angelina", "P01")  # nothing to take back: no event
    assert not flow.check_fields("", "P01")
    flow.fields_changed("Angelina", "P01")
    path = flow.start_photos([deep / "img1.jpg", deep / "img2.jpg"])
    while path is not None:
        path = flow.photo_read(enroll.embed_photo(analyzer, path))
    flow.ask_consent()
    assert not flow.save("Angelina Jolie", "P01")  # the box not ticked
    flow.consent_ticked()
    assert flow.save("Angelina Jolie", "P01", consent.given_now())
    assert seen == [
        (Change.STEP, Step.FORM, Status.NEED_NAME, False),
        (Change.STATUS, Step.FORM, Status.NONE, False),
        (Change.STEP, Step.READING, Status.NONE, False),
        (Change.STEP, Step.READING, Status.BUSY, False),  # photo 1/2
        (Change.STEP, Step.READING, Status.BUSY, False),  # photo 2/2
        (Change.STEP, Step.REVIEW, Status.FRAMES, False),
        (Change.STEP, Step.REVIEW, Status.FRAMES, True),  # the consent page
        (Change.STEP, Step.REVIEW, Status.NEED_CONSENT, True),  # still there, asking for the tick
        (Change.STATUS, Step.REVIEW, Status.NONE, True),
        (Change.STEP, Step.SAVED, Status.SAVED, False),
    ]


def test_a_failed_capture_goes_back_to_the_form_with_the_outcome(registry):
    from kiosk.capture.types import CaptureOutcome, CaptureResult, LivenessVerdict

    flow = Enrollment(registry)
    steps: list[Step] = []
    flow.changed.connect(lambda event: steps.append(event.flow.step))
    flow.start_capture()
    flow.frame_rejected(["blurry", "blurry", "too_dark"])
    assert flow.rejected.most_common(1) == [("blurry", 2)]
    flow.capture_finished(CaptureResult("enroll", CaptureOutcome.TIMEOUT, None, 30, 30, 0, {}, LivenessVerdict(None, True), 10.0))
    assert (flow.step, flow.status, flow.status_arg) == (Step.FORM, Status.FAILED, "timeout")
    assert steps == [Step.CAPTURING, Step.FORM]
