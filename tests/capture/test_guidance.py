"""Guidance: the one thing to fix first, in words a person understands."""

from __future__ import annotations

from kiosk.capture import guidance
from kiosk.engine import types as r


def test_the_most_basic_problem_is_named_first():
    assert guidance.guidance_for([r.BLURRY, r.TOO_SMALL, r.TURNED_LEFT]) == "come_closer"
    assert guidance.guidance_for([r.BLURRY, r.TOO_DARK]) == "more_light"
    assert guidance.guidance_for([r.LOOKING_DOWN, r.BLURRY]) == "look_straight"
    assert guidance.guidance_for([r.BLURRY]) == "hold_still"
    assert guidance.guidance_for([r.MULTIPLE_FACES]) == "one_person"
    assert guidance.guidance_for([r.NO_FACE]) == "no_face"
    assert guidance.guidance_for([r.TOO_BRIGHT]) == "less_light"
    assert guidance.guidance_for([]) is None


def test_every_reason_has_guidance_and_every_key_has_text():
    for reason in r.Rejection:
        key = guidance.guidance_for([reason])
        assert key in guidance.TEXTS, reason
    assert guidance.text("come_closer") == "Please come a little closer"
    assert guidance.text("no_face") == "Look at the camera"
    assert guidance.text(None) == ""
    assert set(guidance.TEXTS) == set(guidance.Guidance)
