"""Card + face on the real models and a real SQLCipher database: the 1:1 check against the
claimed person only, the attempt limits on a clock passed in, the fallback PIN, and the
event each outcome sends (``method``: identify, verify or fallback)."""

from __future__ import annotations

import pytest

from kiosk.capture.types import CaptureOutcome, CaptureResult, LivenessVerdict
from kiosk.events import outbox
from kiosk.flows import enroll
from kiosk.flows.signin import ACCEPT, sign_in
from kiosk.flows.verify import Method, VerifyKind, claim_wait, pin_sign_in, verify_sign_in
from kiosk.store.admins import pin_matches

T0 = 1_800_000_000.0  # wall-clock seconds; each test moves its own clock
PIN = "135790"


def capture(outcome: CaptureOutcome, template=None) -> CaptureResult:
    return CaptureResult("login", outcome, template, 10, 10, 0 if template is None else 5, {}, LivenessVerdict(None, True), 1.0)


@pytest.fixture
def people(registry, analyzer, faces_dir):
    """Angelina Jolie (P01, img1+img2) and deepface P02 (img3+img12) enrolled; probes of each."""
    deep = faces_dir / "deepface"

    def template(*names: str):
        made, _ = enroll.template_from_photos(analyzer, [deep / n for n in names], enroll.outlier_cosine(registry))
        return made

    enroll.save(registry, "Angelina Jolie", "P01", template("img1.jpg", "img2.jpg"))
    enroll.save(registry, "Second Person", "P02", template("img3.jpg", "img12.jpg"))
    return {"P01": template("img6.jpg"), "P02": template("img53.jpg")}


def events(registry) -> list[dict]:
    with registry.session() as db:
        return [e.document() for e in outbox.events(db.conn, limit=1000)]


def test_the_face_is_checked_against_the_claimed_person_only(registry, people):
    """Jolie's face with Jolie's id is accepted; the same face with P02's id is refused,
    though 1:N would have found Jolie: the claim, not the gallery, decides who is checked."""
    ok = verify_sign_in(registry, "P01", capture(CaptureOutcome.OK, people["P01"]), now=T0)
    assert (ok.kind, ok.name, ok.method) == (VerifyKind.ACCEPT, "Angelina Jolie", Method.VERIFY)
    assert ok.score >= registry.bands.one_to_one().high
    wrong = verify_sign_in(registry, " P02 ", capture(CaptureOutcome.OK, people["P01"]), now=T0)
    assert wrong.kind in (VerifyKind.REJECT, VerifyKind.RETRY) and wrong.name is None
    assert wrong.score < registry.bands.one_to_one().high
    rows = registry.audit_log(event="signin_verify")
    assert [r.decision for r in reversed(rows)][0] == "accept" and rows[0].person_id == registry.find_person("P02").id


def test_an_unknown_id_is_answered_as_a_face_that_did_not_match(registry, people):
    view = verify_sign_in(registry, "NOBODY", capture(CaptureOutcome.OK, people["P01"]), now=T0, pin_fallback=True)
    assert view.kind == VerifyKind.REJECT and view.offer_pin  # the same answer as a known id's stranger
    assert registry.audit_log(event="signin_verify")[0].detail == "unknown id"


def test_five_failed_faces_lock_the_claimed_id_for_30_s_then_longer(registry, people):
    """NIST SP 800-63B 5.2.3: the 5th consecutive failure locks 30 s; the next one 60 s.
    Audited (signin_locked, the signin.locked_out event naming the person); the admin clears it."""
    stranger = capture(CaptureOutcome.OK, people["P01"])  # Jolie's face claiming P02
    p02 = registry.find_person("P02")
    views = [verify_sign_in(registry, "P02", stranger, now=T0 + i) for i in range(5)]
    assert [v.kind == VerifyKind.LOCKED for v in views] == [False] * 4 + [True]
    assert views[-1].wait_s == 30 and claim_wait(registry, "P02", T0 + 4) == 30
    # While locked nothing is compared, even the right face; the refusal is audited.
    right = capture(CaptureOutcome.OK, people["P02"])
    during = verify_sign_in(registry, "P02", right, now=T0 + 20)
    assert (during.kind, during.wait_s) == (VerifyKind.LOCKED, 14)
    assert registry.audit_log(event="signin_verify")[0].decision == "locked"
    # Other ids are not affected.
    assert verify_sign_in(registry, "P01", capture(CaptureOutcome.OK, people["P01"]), now=T0 + 20).kind == VerifyKind.ACCEPT
    # After the delay one more failure locks twice as long.
    again = verify_sign_in(registry, "P02", stranger, now=T0 + 40)
    assert (again.kind, again.wait_s) == (VerifyKind.LOCKED, 60)
    locked = [e for e in events(registry) if e["type"] == "signin.locked_out"]
    assert len(locked) == 2 and locked[0]["person"]["id"] == "P02" and locked[0]["method"] == "verify"
    standing = {(s.person_id, s.method.value): s for s in registry.signin_lockouts()}
    assert standing[(p02.id, "face")].failures == 6 and standing[(p02.id, "face")].remaining(T0 + 40) == 60
    # The admin clears it: the right face is accepted at once, and the clearing is audited.
    assert registry.clear_signin_lock(p02.id)
    assert registry.audit_log(event="signin_unlock")[0].person_id == p02.id
    assert verify_sign_in(registry, "P02", right, now=T0 + 41).kind == VerifyKind.ACCEPT


def test_a_success_resets_the_count(registry, people):
    stranger = capture(CaptureOutcome.OK, people["P01"])
    for i in range(4):
        verify_sign_in(registry, "P02", stranger, now=T0 + i)
    assert verify_sign_in(registry, "P02", capture(CaptureOutcome.OK, people["P02"]), now=T0 + 5).kind == VerifyKind.ACCEPT
    assert verify_sign_in(registry, "P02", stranger, now=T0 + 6).kind != VerifyKind.LOCKED
    assert registry.signin_lockouts()[0].failures == 1


def test_a_presentation_attack_counts_as_a_failed_attempt_and_a_timeout_does_not(registry, people):
    for i in range(4):
        assert verify_sign_in(registry, "P02", capture(CaptureOutcome.SPOOF), now=T0 + i).kind == VerifyKind.SPOOF
        assert verify_sign_in(registry, "P02", capture(CaptureOutcome.TIMEOUT), now=T0 + i).kind == VerifyKind.RETRY
    assert verify_sign_in(registry, "P02", capture(CaptureOutcome.SPOOF), now=T0 + 5).kind == VerifyKind.LOCKED


def test_the_fallback_pin_is_a_slow_salted_hash_and_signs_in_as_fallback(registry, people):
    p02 = registry.find_person("P02")
    registry.set_person_pin(p02.id, PIN)
    with registry.session() as db:
        stored = db.conn.execute("SELECT pin_hash FROM person_pins WHERE person_id = ?", (p02.id,)).fetchone()[0]
    assert stored.startswith("scrypt$16384$") and PIN not in stored and pin_matches(PIN, stored)
    assert registry.has_person_pin(p02.id) and not registry.has_person_pin(registry.find_person("P01").id)

    face = verify_sign_in(registry, "P02", capture(CaptureOutcome.OK, people["P01"]), now=T0, pin_fallback=True)
    assert face.kind in (VerifyKind.REJECT, VerifyKind.RETRY) and face.offer_pin
    assert not verify_sign_in(registry, "P02", capture(CaptureOutcome.OK, people["P01"]), now=T0).offer_pin  # fallback off
    wrong = pin_sign_in(registry, "P02", "000000", now=T0)
    assert (wrong.kind, wrong.method, wrong.offer_pin) == (VerifyKind.REJECT, Method.FALLBACK, True)
    right = pin_sign_in(registry, "P02", PIN, now=T0 + 1)
    assert (right.kind, right.name, right.method) == (VerifyKind.ACCEPT, "Second Person", Method.FALLBACK)
    assert [r.decision for r in registry.audit_log(event="signin_fallback")] == ["accept", "reject"]
    assert not registry.signin_lockouts()  # the success cleared the face and PIN counts
    # A person without a PIN, or an unknown id, gets the wrong-PIN answer.
    assert pin_sign_in(registry, "P01", PIN, now=T0).kind == VerifyKind.REJECT
    assert pin_sign_in(registry, "NOBODY", PIN, now=T0).kind == VerifyKind.REJECT
    last = registry.audit_log(event="signin_fallback")[0]
    assert (last.person_id, last.decision, last.detail) == (None, "reject", "unknown id")


def test_wrong_pins_have_the_same_attempt_limit(registry, people):
    p02 = registry.find_person("P02")
    registry.set_person_pin(p02.id, PIN)
    views = [pin_sign_in(registry, "P02", "111111", now=T0 + i) for i in range(5)]
    assert [v.kind for v in views] == [VerifyKind.REJECT] * 4 + [VerifyKind.LOCKED] and views[-1].wait_s == 30
    # Locked: even the right PIN is not compared.
    assert pin_sign_in(registry, "P02", PIN, now=T0 + 10).kind == VerifyKind.LOCKED
    assert pin_sign_in(registry, "P02", PIN, now=T0 + 35).kind == VerifyKind.ACCEPT


def test_a_short_or_non_digit_pin_is_refused_with_the_rule(registry, people):
    from kiosk.errors import KioskError

    with pytest.raises(KioskError, match="at least 6 digits"):
        registry.set_person_pin(registry.find_person("P02").id, "12a")


def test_the_pin_and_the_count_go_with_the_person(registry, people):
    p02 = registry.find_person("P02")
    registry.set_person_pin(p02.id, PIN)
    verify_sign_in(registry, "P02", capture(CaptureOutcome.OK, people["P01"]), now=T0)
    registry.delete(p02.id)
    with registry.session() as db:
        assert db.conn.execute("SELECT count(*) FROM person_pins").fetchone()[0] == 0
        assert db.conn.execute("SELECT count(*) FROM signin_attempts").fetchone()[0] == 0


def test_signin_events_say_identify_verify_or_fallback(registry, people):
    """The receiver's view: signin.accepted with method identify or verify (the person named);
    an accepted PIN is its own type, signin.fallback, never a plain signin.accepted; a refused
    verify names nobody."""
    p02 = registry.find_person("P02")
    registry.set_person_pin(p02.id, PIN)
    assert sign_in(registry, capture(CaptureOutcome.OK, people["P01"])).kind == ACCEPT
    verify_sign_in(registry, "P02", capture(CaptureOutcome.OK, people["P02"]), now=T0)
    verify_sign_in(registry, "P02", capture(CaptureOutcome.OK, people["P01"]), now=T0)
    pin_sign_in(registry, "P02", PIN, now=T0)
    signins = [e for e in events(registry) if e["type"].startswith("signin.")]
    got = [(e["type"], e["method"], e.get("person", {}).get("id")) for e in signins]
    assert got[0] == ("signin.accepted", "identify", "P01")
    assert got[1] == ("signin.accepted", "verify", "P02")
    assert got[2][0] in ("signin.rejected", "signin.retry") and got[2][1:] == ("verify", None)
    assert got[3] == ("signin.fallback", "fallback", "P02")
    assert "score" not in signins[3]  # a PIN has no score
