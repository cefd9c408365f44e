"""Every reason and every instruction in English and in Korean, through the one table and the real catalogue.

The Korean below is what the kiosk showed before reasons had one table (kiosk/ui/texts.py,
kiosk/ui/screens/enroll.py), kept word for word, except where one table now says it once:
a photo's caption reuses the reason's sentence ("사용 안 함: 얼굴이 보이지 않습니다", was
"... 얼굴을 찾지 못함"; likewise more than one face, outlier and unreadable), an unreadable photo
says so (was "다시 시도해 주세요"), and a chart bar for a reason without a short label shows its
sentence (was the raw key, untranslated, e.g. "no face").
"""

from __future__ import annotations

import pytest

from kiosk.capture.guidance import TEXTS, Guidance
from kiosk.flows.faces import Picture
from kiosk.flows.reasons import WORDS
from kiosk.ui.i18n import LanguageSwitcher
from kiosk.ui.screens.enroll import picture_caption
from kiosk.ui.texts import advice_text, guidance_text, problem_text, reason_text

# reason -> (sentence, chart label, admin advice) in Korean.
KOREAN = {
    "too_small": ("얼굴이 너무 멉니다", "너무 멀리 있음", ""),
    "blurry": ("사진이 흐립니다: 움직이지 마세요", "흐림", ""),
    "too_dark": ("너무 어두움", "너무 어두움", ""),
    "too_bright": ("너무 밝음", "너무 밝음", ""),
    "turned_left": ("고개가 돌아갔습니다: 정면을 보세요", "왼쪽으로 돌림", ""),
    "turned_right": ("고개가 돌아갔습니다: 정면을 보세요", "오른쪽으로 돌림", ""),
    "looking_up": ("고개가 기울었습니다: 정면을 보세요", "위를 봄", ""),
    "looking_down": ("고개가 기울었습니다: 정면을 보세요", "아래를 봄", ""),
    "low_score": ("얼굴이 잘 보이지 않습니다", "얼굴 불분명", ""),
    "no_face": ("얼굴이 보이지 않습니다", "얼굴이 보이지 않습니다", ""),
    "multiple_faces": ("여러 사람이 보입니다", "여러 사람", ""),
    "spoof": ("승인되지 않았습니다", "실물 아님", ""),
    "outlier": ("사진이 서로 일치하지 않습니다", "일관성 없음", ""),
    "unreadable": ("파일을 읽을 수 없습니다", "파일을 읽을 수 없습니다", ""),
    "timeout": ("시간이 초과되었습니다", "시간이 초과되었습니다", "밝은 곳에서 카메라 가까이 가만히 있도록 안내하십시오."),
    "not_enough": ("선명한 사진이 부족합니다", "선명한 사진이 부족합니다", "밝은 곳에서 카메라 가까이 가만히 있도록 안내하십시오."),
    "challenge_failed": (
        "고개 돌리기가 완료되지 않았습니다",
        "고개 돌리기가 완료되지 않았습니다",
        "고개를 천천히 왼쪽, 오른쪽으로 돌린 뒤 카메라를 보도록 안내하십시오.",
    ),
    "cancelled": ("다시 시도해 주세요", "다시 시도해 주세요", ""),
    "unsure": ("본인인지 확실하지 않습니다", "본인인지 확실하지 않습니다", ""),
    "other": ("다시 시도해 주세요", "다시 시도해 주세요", ""),
    # A model migration's reasons were shown in English before (the enum's value).
    "no_crop": ("보관된 얼굴 사진이 없습니다", "보관된 얼굴 사진이 없습니다", ""),
    "crop_unreadable": ("얼굴 사진을 읽을 수 없습니다", "얼굴 사진을 읽을 수 없습니다", ""),
    "crop_blurred": ("얼굴 사진이 너무 흐립니다", "얼굴 사진이 너무 흐립니다", ""),
}
KOREAN_GUIDANCE = {
    Guidance.NO_FACE: "카메라를 바라보세요",
    Guidance.ONE_PERSON: "한 번에 한 사람만 서 주세요",
    Guidance.COME_CLOSER: "조금 더 가까이 와 주세요",
    Guidance.LOOK_STRAIGHT: "카메라를 정면으로 바라봐 주세요",
    Guidance.MORE_LIGHT: "너무 어둡습니다",
    Guidance.LESS_LIGHT: "빛이 너무 강합니다",
    Guidance.HOLD_STILL: "움직이지 마세요",
    Guidance.TURN_LEFT: "고개를 천천히 왼쪽으로 돌리세요",
    Guidance.TURN_RIGHT: "고개를 천천히 오른쪽으로 돌리세요",
    Guidance.DONE: "감사합니다",
}


@pytest.fixture
def korean(qapp):
    switcher = LanguageSwitcher(qapp)
    assert switcher.set_language("ko")
    yield
    switcher.set_language("en")


def test_every_reason_is_checked_here():
    assert set(KOREAN) == set(WORDS)
    assert set(KOREAN_GUIDANCE) == set(TEXTS) == set(Guidance)


def test_every_reason_reads_in_korean(korean):
    shown = {reason: (reason_text(reason), problem_text(reason), advice_text(reason)) for reason in WORDS}
    assert shown == KOREAN
    assert reason_text(None) == reason_text("no_such_reason") == "다시 시도해 주세요"
    assert picture_caption(Picture("", used=False, reason="no_face")) == "사용 안 함: 얼굴이 보이지 않습니다"
    assert picture_caption(Picture("", used=True)) == "사용함"


def test_every_instruction_reads_in_korean(korean):
    assert {key: guidance_text(key) for key in Guidance} == KOREAN_GUIDANCE
    assert guidance_text(None) == ""


def test_english_shows_the_tables_own_words(qapp):
    switcher = LanguageSwitcher(qapp)
    assert switcher.set_language("en")
    for reason, row in WORDS.items():
        assert (reason_text(reason), problem_text(reason), advice_text(reason)) == (row.said, row.label, row.advice)
    assert {key: guidance_text(key) for key in Guidance} == {key: text for key, text in TEXTS.items()}
