"""The one reason-to-words table: every reason the core produces has English words, keyed by the reason."""

from __future__ import annotations

from kiosk.capture.types import CaptureOutcome
from kiosk.engine.types import Rejection
from kiosk.flows.migrate import Reason as MigrateReason
from kiosk.flows.reasons import AGAIN, WORDS, words
from kiosk.flows.signin import RetryReason
from kiosk.gallery.build import SkippedPhoto

# Every reason a frame, a photo, a capture, a sign-in or a model migration can give (OK is not a reason).
EVERY_REASON = [*Rejection, *(o for o in CaptureOutcome if o != CaptureOutcome.OK), *RetryReason, *MigrateReason]


def test_every_reason_has_english_words():
    missing = [reason for reason in EVERY_REASON if reason not in WORDS]
    assert not missing, f"add a row to kiosk/flows/reasons.py WORDS for {missing}"
    for reason in EVERY_REASON:
        row = words(reason)
        assert row.said and row.said[0].isupper() and row.label, reason
    # No row for anything else, and no two enums share a value (they would share a row unawares).
    assert set(WORDS) == set(EVERY_REASON)
    assert len(set(EVERY_REASON)) == len(EVERY_REASON) - 1  # but the spoof row, said for a frame and a capture


def test_a_plain_string_from_the_database_finds_the_same_row():
    assert words("too_small") is words(Rejection.TOO_SMALL)
    assert words("too_small").said == "Face too far away" and words("too_small").label == "Too far away"
    assert words(CaptureOutcome.SPOOF) is words(Rejection.SPOOF)  # one spoof row for a frame and a capture
    assert words(RetryReason.UNSURE).said == "We could not be sure it is you"


def test_no_reason_or_an_unknown_one_asks_to_try_again():
    assert words(None) is AGAIN and words("") is AGAIN and words("no_such_reason") is AGAIN
    assert AGAIN.said == "Please try again" and AGAIN.advice == ""


def test_only_capture_failures_an_admin_can_help_with_carry_advice():
    advised = {reason for reason in EVERY_REASON if words(reason).advice}
    assert advised == {CaptureOutcome.TIMEOUT, CaptureOutcome.NOT_ENOUGH, CaptureOutcome.CHALLENGE_FAILED}


def test_the_gallery_cli_prints_the_reason_words_and_the_measured_detail():
    from kiosk.cli.gallery_cmd import format_summary
    from kiosk.gallery.build import BuildSummary

    summary = BuildSummary(actors=1, photos=3, used=1, skipped=[
        SkippedPhoto("Ross", "Ross/a.jpg", Rejection.NO_FACE, ""),
        SkippedPhoto("Ross", "Ross/b.jpg", Rejection.TOO_SMALL, "face 40 px, needs 80 px"),
    ])
    text = format_summary(summary)
    assert "  Ross/a.jpg  [Ross]  No face seen\n" in text
    assert "  Ross/b.jpg  [Ross]  Face too far away: face 40 px, needs 80 px" in text
