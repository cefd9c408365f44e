"""Which pictures an enrollment used, which not and why, and which face crop it keeps (real models, no Qt)."""

from __future__ import annotations

from kiosk.capture.types import CaptureOutcome, CaptureResult, FrameReport, LivenessVerdict
from kiosk.engine.aggregate import aggregate
from kiosk.flows.enroll import Enrollment, Step


def observe(analyzer, faces_dir, name):
    return analyzer.embed_image(faces_dir / "deepface" / name)


def test_a_capture_reviews_its_accepted_frames_one_rejected_frame_per_reason_and_keeps_the_best_crop(analyzer, faces_dir, registry):
    good = [observe(analyzer, faces_dir, n) for n in ("img1.jpg", "img2.jpg", "img4.jpg")]
    stranger = observe(analyzer, faces_dir, "img3.jpg")  # P02 among P01's frames: the outlier
    good[1].quality, good[0].quality, good[2].quality = 0.9, 0.5, 0.4
    flow = Enrollment(registry)
    flow.start_capture()
    for i, obs in enumerate([*good, stranger]):
        flow.frame_analyzed(FrameReport(i, True, [obs], obs, accepted=True))
    blurred = observe(analyzer, faces_dir, "img5.jpg")
    for i in range(3):  # three blurred frames, one too dark, one without a face
        flow.frame_analyzed(FrameReport(10 + i, True, [blurred], blurred, reasons=["blurry"]))
    flow.frame_analyzed(FrameReport(20, True, [blurred], blurred, reasons=["too_dark"]))
    flow.frame_analyzed(FrameReport(21, True, [], None, reasons=["no_face"]))
    template = aggregate([*good, stranger], min_valid=3, outlier_cosine=0.3)
    assert (template.frames_used, template.outliers) == (3, 1)
    flow.capture_finished(CaptureResult("enroll", CaptureOutcome.OK, template, 40, 30, 3, dict(flow.rejected), LivenessVerdict(0.9, True), 5.0))

    assert flow.step == Step.REVIEW
    assert [(p.used, p.reason) for p in flow.pictures] == [(True, ""), (True, ""), (True, ""), (False, "outlier"), (False, "blurry"), (False, "too_dark")]
    assert flow.pictures[3].crop is stranger.aligned and flow.pictures[3].similarity < 0.3
    assert flow.face is good[1].aligned  # the best quality among the used frames, never the outlier
    assert flow.unused_count == 6  # five rejected frames and the outlier
    assert flow.rejected == {"blurry": 3, "too_dark": 1, "no_face": 1}
    assert flow.save("Angelina Jolie", "P01")
    person = registry.people()[0]
    assert person.has_face and registry.face(person.id)[:3] == b"\xff\xd8\xff"


def test_photos_are_reviewed_in_file_order_with_their_reasons(analyzer, faces_dir, registry, tmp_path):
    from kiosk.flows import enroll

    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"nope")
    files = [faces_dir / "deepface" / "img1.jpg", broken, faces_dir / "deepface" / "couple.jpg", faces_dir / "deepface" / "img3.jpg", faces_dir / "deepface" / "img2.jpg"]
    batch = enroll.read_photos(analyzer, files)
    template = batch.template(enroll.outlier_cosine(registry))
    assert [(p.source, p.used, p.reason) for p in batch.pictures] == [
        ("img1.jpg", True, ""),
        ("broken.jpg", False, "unreadable"),
        ("couple.jpg", False, "multiple_faces"),
        ("img3.jpg", False, "outlier"),
        ("img2.jpg", True, ""),
    ]
    assert template.frames_used == 2 and batch.best_crop is not None and batch.best_crop.shape == (112, 112, 3)
    assert [s.reason for s in batch.skips] == ["unreadable", "multiple_faces", "outlier"]
