"""The UI's plain-Python rules: Hangul composition, PIN entry, idle policy, result mapping, CSV export."""

from __future__ import annotations

import csv
from types import SimpleNamespace

import pytest

from kiosk.ui.audit_csv import write_csv
from kiosk.ui.hangul import HangulComposer, syllable
from kiosk.ui.idle import IdlePolicy
from kiosk.ui.pin_state import PinEntry, PinSetupFlow
from kiosk.ui.result_view import ACCEPT, REJECT, RETRY, SPOOF, from_capture, from_decision, top_reason


def typed(keys: str) -> HangulComposer:
    c = HangulComposer()
    for k in keys:
        c.feed(k)
    return c


@pytest.mark.parametrize(
    "keys, text",
    [
        ("ㅎㅏㄴㄱㅜㄱㅇㅓ", "한국어"),
        ("ㄷㅏㄹㄱㅇㅡㄴ", "닭은"),  # compound final stays when the next syllable has its own initial
        ("ㄷㅏㄹㄱㅏ", "달가"),  # ...and splits when a vowel follows
        ("ㄱㅏㄱㅏ", "가가"),  # a final moves to the next syllable before a vowel
        ("ㄱㅗㅏㄴ", "관"),  # compound vowel
        ("ㅇㅢㅅㅏ", "의사"),
        ("ㅏ", "ㅏ"),  # a lone vowel stands by itself
        ("ㄲㅗㅊ", "꽃"),
    ],
)
def test_hangul_composition(keys, text):
    assert typed(keys).text == text


def test_hangul_backspace_undoes_one_jamo_at_a_time():
    c = typed("ㄱㅗㅏㄴ")
    steps = []
    for _ in range(4):
        c.backspace()
        steps.append(c.text)
    assert steps == ["과", "고", "ㄱ", ""]


def test_hangul_mixes_with_latin_and_keeps_existing_text():
    c = HangulComposer("Kim ")
    for k in "ㅁㅣㄴ":
        c.feed(k)
    c.type_text("2")
    assert c.text == "Kim 민2"
    c.backspace()
    c.backspace()
    assert c.text == "Kim "


def test_syllable_arithmetic():
    assert syllable("ㅎ", "ㅏ", "ㄴ") == "한"
    assert syllable("ㄱ", "ㅏ") == "가"


def test_pin_entry_accepts_digits_only_up_to_the_limit():
    e = PinEntry(max_length=4)
    for k in "12a3456":
        e.press(k)
    assert e.digits == "1234"
    assert e.masked == "\u25cf" * 4
    e.backspace()
    assert e.digits == "123"


def test_pin_setup_needs_six_digits_and_a_matching_confirmation():
    flow = PinSetupFlow(min_length=6)
    for k in "12345":
        flow.entry.press(k)
    assert flow.submit() is None and flow.problem == "too_short" and flow.stage == "choose"
    for k in "123456":
        flow.entry.press(k)
    assert flow.submit() is None and flow.stage == "confirm"
    for k in "654321":
        flow.entry.press(k)
    assert flow.submit() is None and flow.problem == "mismatch" and flow.stage == "choose"
    for pin in ("246810", "246810"):
        for k in pin:
            flow.entry.press(k)
        chosen = flow.submit()
    assert chosen == "246810" and flow.problem is None


def test_idle_policy_times_out_only_on_screens_that_are_not_exempt():
    now = [100.0]
    policy = IdlePolicy(30, exempt={"attract"}, clock=lambda: now[0])
    now[0] += 29
    assert not policy.expired("settings")
    now[0] += 1
    assert policy.expired("settings")
    assert not policy.expired("attract")
    policy.touch()
    assert not policy.expired("settings")


def _decision(outcome, name="Kim Min", score=0.7):
    person = SimpleNamespace(id=1, external_id="E1", name=name) if name else None
    return SimpleNamespace(outcome=outcome, person=person, score=score)


def test_result_mapping_from_decisions():
    assert from_decision(_decision("accept")).kind == ACCEPT
    assert from_decision(_decision("accept")).name == "Kim Min"
    retry = from_decision(_decision("retry"))
    assert retry.kind == RETRY and retry.reason == "unsure" and retry.name is None  # no name on a grey-zone match
    assert from_decision(_decision("reject", name=None)).kind == REJECT


def test_result_mapping_from_captures_that_ended_early():
    spoof = SimpleNamespace(outcome="spoof", template=None, rejected={"spoof": 4})
    assert from_capture(spoof).kind == SPOOF and from_capture(spoof).reason is None
    timeout = SimpleNamespace(outcome="timeout", template=None, rejected={"too_dark": 5, "blurry": 2})
    assert from_capture(timeout).kind == RETRY and from_capture(timeout).reason == "too_dark"
    assert from_capture(SimpleNamespace(outcome="not_enough", template=None, rejected={})).reason == "not_enough"
    assert from_capture(SimpleNamespace(outcome="ok", template=object(), rejected={})) is None


def test_top_reason_is_stable_on_ties():
    assert top_reason({"blurry": 2, "too_dark": 2, "no_face": 0}) == "blurry"
    assert top_reason({}) is None


def test_csv_export_round_trips_korean_and_empty_cells(tmp_path):
    target = tmp_path / "out" / "audit.csv"
    n = write_csv(target, ["time", "person", "score"], [["2026-01-01 10:00", "김민수", None], ["2026-01-02", "Ann", 0.5]])
    assert n == 2
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: spreadsheet programs read UTF-8
    with target.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows == [["time", "person", "score"], ["2026-01-01 10:00", "김민수", ""], ["2026-01-02", "Ann", "0.5"]]
    assert not list(tmp_path.glob("out/*.part"))
