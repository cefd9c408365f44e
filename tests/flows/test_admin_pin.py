"""The admin PIN: typing, first set-up, and signing in with the registry's lockout."""

from __future__ import annotations

import functools
import time

from kiosk.flows.admin_pin import AdminSignIn, PinAnswer, PinEntry, PinProblem, PinSetupFlow, SetupStage
from kiosk.store import admins


def test_pin_entry_accepts_digits_only_up_to_the_limit():
    e = PinEntry(max_length=4)
    for k in "12a3456":
        e.press(k)
    assert e.digits == "1234"
    assert e.masked == "\u25cf" * 4
    e.backspace()
    assert e.digits == "123"


def test_pin_setup_needs_six_digits_and_a_matching_confirmation():
    flow = PinSetupFlow()
    assert flow.min_length == admins.MIN_PIN_DIGITS == 6  # one minimum, the store's
    for k in "12345":
        flow.entry.press(k)
    assert flow.submit() is None and flow.problem == PinProblem.TOO_SHORT and flow.stage == SetupStage.CHOOSE
    for k in "123456":
        flow.entry.press(k)
    assert flow.submit() is None and flow.stage == SetupStage.CONFIRM
    for k in "654321":
        flow.entry.press(k)
    assert flow.submit() is None and flow.problem == PinProblem.MISMATCH and flow.stage == SetupStage.CHOOSE
    for pin in ("246810", "246810"):
        for k in pin:
            flow.entry.press(k)
        chosen = flow.submit()
    assert chosen == "246810" and flow.problem is None


def test_sign_in_locks_after_three_wrong_pins_and_opens_after_the_lockout(registry, monkeypatch):
    now = [time.time()]
    # The lockout is the registry's, counted in the database; only its clock is ours.
    monkeypatch.setattr(admins, "check_pin", functools.partial(admins.check_pin, clock=lambda: now[0]))
    pad = AdminSignIn(clock=lambda: now[0])
    assert pad.set_pin(registry, "246810") == PinAnswer.OK
    assert [pad.check(registry, "111111") for _ in range(3)] == [PinAnswer.WRONG, PinAnswer.WRONG, PinAnswer.LOCKED]
    assert pad.remaining() == 30
    assert pad.check(registry, "246810") == PinAnswer.LOCKED  # not even asked while locked
    now[0] += 31
    assert pad.remaining() == 0 and pad.check(registry, "246810") == PinAnswer.OK
    answers = [e.decision for e in registry.audit_log(event="admin_login")]
    assert sorted(answers) == ["accept", "reject", "reject", "reject"]


def test_a_pin_the_store_refuses_is_an_error_answer_not_an_exception(registry):
    assert AdminSignIn().set_pin(registry, "12ab") == PinAnswer.ERROR
    assert not registry.has_admin()
