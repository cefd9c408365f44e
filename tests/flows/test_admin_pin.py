"""The admin PIN: typing, first set-up, and signing in with the registry's lockout."""

from __future__ import annotations

import functools
import time

import pytest

from kiosk.flows.admin_pin import AdminSignIn, PinAnswer, PinEntry, PinProblem, PinSetupFlow, SetupStage, pin_problem
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
    for k in "975310":
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


@pytest.mark.parametrize("pin", ["123456", "654321", "000000", "999999", "121212", "123123", "112112", "890123", "135791", "1234567890", "159753"])
def test_runs_repeats_and_common_pins_are_refused_on_the_screen_and_by_the_cli(pin, capsys, monkeypatch, registry, data_dir):
    """NIST SP 800-63B 5.1.1.2: secrets that are repetitive or sequential are refused, with a reason."""
    from kiosk.cli.main import main

    flow = PinSetupFlow()
    for k in pin:
        flow.entry.press(k)
    assert flow.submit() is None and flow.problem == PinProblem.GUESSABLE and flow.stage == SetupStage.CHOOSE
    registry.close()  # the CLI opens the database itself
    monkeypatch.setenv("NEW_PIN", pin)
    assert main(["admin", "set-pin", "--name", "second", "--pin-env", "NEW_PIN"]) != 0
    assert "a run, a repeat or a commonly chosen PIN" in capsys.readouterr().err


@pytest.mark.parametrize("pin", ["975310", "246810", "480713", "7203518"])
def test_pins_without_a_pattern_are_accepted(pin):
    assert pin_problem(pin) is None


def test_first_pin_from_the_screen_needs_the_one_time_setup_code(registry):
    """A fresh kiosk (no admin) takes no PIN from the screen without the code printed on the computer."""
    pad = AdminSignIn()
    assert not registry.setup_armed()
    assert pad.check_code(registry, "12345678") == PinAnswer.WRONG  # nothing armed: nothing accepted
    code = registry.issue_setup_code()
    assert registry.setup_armed() and len(code) == admins.SETUP_CODE_DIGITS
    wrong = f"{(int(code) + 1) % 10**8:08d}"
    assert pad.check_code(registry, wrong) == PinAnswer.WRONG
    assert pad.set_pin(registry, "975310", code=wrong) == PinAnswer.WRONG and not registry.has_admin()
    assert pad.check_code(registry, code) == PinAnswer.OK
    assert pad.set_pin(registry, "975310", code=code) == PinAnswer.OK
    assert registry.has_admin() and not registry.setup_armed()  # used up by the PIN it let set
    assert pad.set_pin(registry, "480713", code=code) == PinAnswer.WRONG  # once only
    assert code not in " ".join(str(e.detail) for e in registry.audit_log())  # never written down


def test_a_setup_code_is_used_up_by_five_wrong_tries(registry):
    code = registry.issue_setup_code()
    wrong = f"{(int(code) + 1) % 10**8:08d}"
    answers = [AdminSignIn().check_code(registry, wrong) for _ in range(admins.SETUP_CODE_ATTEMPTS)]
    assert answers == [PinAnswer.WRONG] * admins.SETUP_CODE_ATTEMPTS
    assert not registry.setup_armed()
    assert AdminSignIn().check_code(registry, code) == PinAnswer.WRONG  # the right code no longer works
