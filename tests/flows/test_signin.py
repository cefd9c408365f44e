"""Sign-in: from a capture result to what the result screen shows and what the audit log holds."""

from __future__ import annotations

from kiosk.capture.types import CaptureOutcome, CaptureResult, LivenessVerdict
from kiosk.flows import enroll
from kiosk.flows.signin import ACCEPT, REJECT, RETRY, SPOOF, UNSURE, ResultKind, from_capture, from_decision, sign_in, top_reason
from kiosk.match.types import Decision, Outcome, PersonRef


def capture(outcome: CaptureOutcome, template=None, rejected=None) -> CaptureResult:
    return CaptureResult("login", outcome, template, 10, 10, 0 if template is None else 5, rejected or {}, LivenessVerdict(None, True), 1.0)


def test_result_kinds_are_the_decision_outcomes_plus_spoof():
    assert {k.value for k in ResultKind} == {o.value for o in Outcome} | {CaptureOutcome.SPOOF.value}


def test_result_mapping_from_decisions():
    person = PersonRef(1, "E1", "Kim Min")
    accept = from_decision(Decision(Outcome.ACCEPT, person, 0.7, None, None))
    assert (accept.kind, accept.name) == (ACCEPT, "Kim Min")
    retry = from_decision(Decision(Outcome.RETRY, person, 0.4, None, None))
    assert retry.kind == RETRY and retry.reason == UNSURE and retry.name is None  # no name on a grey-zone match
    assert from_decision(Decision(Outcome.REJECT, None, -1.0, None, None)).kind == REJECT


def test_result_mapping_from_captures_that_ended_early():
    spoof = from_capture(capture(CaptureOutcome.SPOOF, rejected={"spoof": 4}))
    assert spoof.kind == SPOOF and spoof.reason is None  # no hint how it was detected
    timeout = from_capture(capture(CaptureOutcome.TIMEOUT, rejected={"too_dark": 5, "blurry": 2}))
    assert timeout.kind == RETRY and timeout.reason == "too_dark"
    assert from_capture(capture(CaptureOutcome.NOT_ENOUGH)).reason == CaptureOutcome.NOT_ENOUGH


def test_top_reason_is_stable_on_ties():
    assert top_reason({"blurry": 2, "too_dark": 2, "no_face": 0}) == "blurry"
    assert top_reason({}) is None


def test_sign_in_identifies_a_template_and_records_only_a_matched_attempt(registry, analyzer, faces_dir):
    deep = faces_dir / "deepface"
    template, _ = enroll.template_from_photos(analyzer, [deep / "img1.jpg", deep / "img2.jpg"], enroll.outlier_cosine(registry))
    enroll.save(registry, "Angelina Jolie", "P01", template)
    probe, _ = enroll.template_from_photos(analyzer, [deep / "img6.jpg"], enroll.outlier_cosine(registry))

    view = sign_in(registry, capture(CaptureOutcome.OK, probe))
    assert (view.kind, view.name) == (ACCEPT, "Angelina Jolie") and view.score >= registry.bands.high
    stranger, _ = enroll.template_from_photos(analyzer, [deep / "img3.jpg"], enroll.outlier_cosine(registry))  # deepface P02
    assert sign_in(registry, capture(CaptureOutcome.OK, stranger)).kind in (REJECT, RETRY)
    assert sign_in(registry, capture(CaptureOutcome.SPOOF)).kind == SPOOF
    rows = registry.audit_log(event="identify")
    assert sorted(r.decision for r in rows) in (["accept", "reject"], ["accept", "retry"])  # the spoof reached no match
