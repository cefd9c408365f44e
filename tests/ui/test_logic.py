"""The UI's plain-Python rules: Hangul composition, idle policy, CSV export (the flows' rules: tests/flows)."""

from __future__ import annotations

import csv

import pytest

from kiosk.ui.audit_csv import write_csv
from kiosk.ui.hangul import HangulComposer, syllable
from kiosk.ui.idle import IdlePolicy


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


def test_idle_policy_times_out_after_the_timeout_without_a_touch():
    now = [100.0]
    policy = IdlePolicy(30, clock=lambda: now[0])
    now[0] += 29
    assert not policy.expired()
    now[0] += 1
    assert policy.expired()
    policy.touch()
    assert not policy.expired()


def test_csv_export_round_trips_korean_and_empty_cells(tmp_path):
    target = tmp_path / "out" / "audit.csv"
    n = write_csv(target, ["time", "person", "score"], [["2026-01-01 10:00", "김민수", None], ["2026-01-02", "Ann", 0.5]])
    assert n == 2
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: spreadsheet programs read UTF-8
    with target.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows == [["time", "person", "score"], ["2026-01-01 10:00", "김민수", ""], ["2026-01-02", "Ann", "0.5"]]
    assert not list(tmp_path.glob("out/*.part"))
