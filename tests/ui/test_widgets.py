"""Translations and the touch widgets, in real (offscreen) Qt."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLineEdit

from kiosk.capture import guidance
from kiosk.flows.reasons import WORDS
from kiosk.ui.i18n import LanguageSwitcher, compile_ts, resolve_language, tr, translations_dir, trn
from kiosk.ui.widgets.keyboard import TouchKeyboard
from kiosk.ui.widgets.pinpad import PinPad

REPO = Path(__file__).resolve().parents[2]


def test_language_follows_the_system_locale_unless_set():
    assert resolve_language("auto", "ko_KR") == "ko"
    assert resolve_language("auto", "en_GB") == "en"
    assert resolve_language("auto", "de_DE") == "en"
    assert resolve_language("ko", "en_US") == "ko"
    assert resolve_language("en", "ko_KR") == "en"


def test_every_string_in_the_code_has_a_korean_translation():
    ts = (translations_dir() / "kiosk_ko.ts").read_text(encoding="utf-8")
    assert 'type="unfinished"' not in ts
    assert "<translation></translation>" not in ts
    sources = set(re.findall(r"<source>(.*?)</source>", ts, re.S))
    code = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "kiosk" / "ui").rglob("*.py"))
    in_code = set(re.findall(r'\btr\("((?:[^"\\]|\\.)*)"\)', code))
    in_code |= set(guidance.TEXTS.values())  # translated from the capture layer's one table
    in_code |= {text for row in WORDS.values() for text in (row.said, row.short, row.advice) if text}  # and the reasons'
    in_code.discard("...")  # the docstrings mention tr("...") itself
    missing = {s for s in in_code if s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") not in sources}
    assert not missing, f"run scripts/build_translations.py --update and translate: {sorted(missing)}"


def test_counted_phrases_have_plural_forms_in_both_languages(qapp):
    code = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "kiosk" / "ui").rglob("*.py"))
    counted = set(re.findall(r'\btrn\("((?:[^"\\]|\\.)*)"', code))
    assert "%n good picture(s) used." in counted
    for lang in ("en", "ko"):
        ts = (translations_dir() / f"kiosk_{lang}.ts").read_text(encoding="utf-8")
        numerus = set(re.findall(r'<message numerus="yes">\s*<source>(.*?)</source>', ts, re.S))
        assert counted <= numerus, f"kiosk_{lang}.ts lacks plural forms for {sorted(counted - numerus)}"
    switcher = LanguageSwitcher(qapp)
    try:
        assert switcher.set_language("en")
        assert trn("%n good picture(s) used.", 1) == "1 good picture used."
        assert trn("%n good picture(s) used.", 3) == "3 good pictures used."
        assert switcher.set_language("ko")
        assert trn("%n good picture(s) used.", 1) == "좋은 사진 1장을 사용했습니다."
    finally:
        switcher.set_language("en")


def test_build_script_compiles_qm_files(tmp_path):
    qm = compile_ts(translations_dir() / "kiosk_ko.ts", tmp_path / "kiosk_ko.qm")
    assert qm.stat().st_size > 1000
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "build_translations.py"), "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "--update" in result.stdout


def test_switching_language_translates_and_back(qapp):
    switcher = LanguageSwitcher(qapp)
    try:
        assert switcher.set_language("ko")
        assert tr("Welcome") == "환영합니다"
        assert switcher.set_language("en")
        assert tr("Welcome") == "Welcome"
    finally:
        switcher.set_language("en")


def test_keyboard_types_latin_and_composes_hangul(qtbot):
    edit = QLineEdit()
    kb = TouchKeyboard()
    qtbot.addWidget(kb)
    qtbot.addWidget(edit)
    kb.set_target(edit)
    kb.type_keys("kim ")
    kb.toggle_shift()
    kb.type_keys("A")  # shift applies to one key
    kb.type_keys("b")
    kb.toggle_mode()
    kb.type_keys("ㅁㅣㄴㅅㅜ")
    assert edit.text() == "kim Ab민수"
    kb.back_key.click()
    assert edit.text() == "kim Ab민ㅅ"
    with pytest.raises(ValueError):
        kb.type_keys("q")  # not on the Hangul layout
    kb.toggle_shift()
    kb.type_keys("ㄲ")  # shifted Hangul key: a double consonant
    assert kb.composer.text.endswith("ㄲ")
    for key in kb._char_keys:
        assert key.minimumHeight() >= 48 and key.minimumWidth() >= 48


def test_pinpad_emits_the_digits_and_never_shows_them(qtbot):
    pad = PinPad()
    qtbot.addWidget(pad)
    for k in "1234":
        pad.keys[k].click()
    assert pad.display.text() == "\u25cf" * 4
    pad.keys["back"].click()
    with qtbot.waitSignal(pad.submitted) as blocker:
        pad.keys["ok"].click()
    assert blocker.args == ["123"]
    assert pad.entry.digits == ""
    assert all(b.minimumHeight() >= 48 for b in pad.keys.values())


def test_audit_events_read_as_words_in_both_languages(qapp):
    from kiosk.ui.texts import decision_text, event_text

    code = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "kiosk").rglob("*.py"))
    recorded = set(re.findall(r'(?:record\(\s*(?:self\.)?db,\s*|\.audit\(\s*|record_event\(\s*)"([a-z_]+)"', code))
    assert {"admin_login", "identify", "enroll", "worker_error", "camera_lost", "events_dropped"} <= recorded
    unnamed = {e for e in recorded if event_text(e) == e.replace("_", " ")}
    assert not unnamed, f"add these audit events to kiosk/ui/texts.py event_text: {sorted(unnamed)}"
    assert event_text("some_new_event") == "some new event"
    decisions = ("accept", "reject", "retry", "spoof", "won", "lost", "settled")  # sign-in outcomes and fleet conflicts
    assert [d for d in decisions if decision_text(d) == d] == []
    switcher = LanguageSwitcher(qapp)
    try:
        assert switcher.set_language("ko")
        assert (event_text("admin_login"), decision_text("accept")) == ("관리자 로그인", "승인")
        assert switcher.set_language("en")
        assert (event_text("admin_login"), decision_text("accept")) == ("Admin sign-in", "Accepted")
    finally:
        switcher.set_language("en")


def test_audit_details_of_a_wrong_pin_read_in_the_viewers_language(qapp, registry):
    """Issue 21: the Korean audit screen said "admin: wrong PIN (1 tries left before a lockout)".
    The detail is the one the real registry writes for a wrong PIN."""
    from kiosk.errors import AuthError
    from kiosk.ui.texts import detail_text

    for _ in range(2):
        with pytest.raises(AuthError):
            registry.check_admin_pin("admin", "975311")
    detail = registry.audit_log(event="admin_login")[0].detail
    assert detail == "admin: wrong PIN (1 try left before a lockout)"  # English as English: "1 try"
    switcher = LanguageSwitcher(qapp)
    try:
        assert switcher.set_language("ko")
        assert detail_text(detail) == "admin: 틀린 PIN: 잠기기 전까지 1번 남음"
        assert detail_text("admin: wrong PIN (2 tries left before a lockout)") == "admin: 틀린 PIN: 잠기기 전까지 2번 남음"  # rows written before
        assert detail_text("12 people") == "12 people"  # data, not a phrase: as stored
        assert switcher.set_language("en")
        assert detail_text(detail) == "admin: wrong PIN: 1 try left before a lockout"
    finally:
        switcher.set_language("en")


def test_a_date_buttons_calendar_goes_with_it(qtbot):
    """The calendar popup is the button's child: a parentless one outlived its window until Python's
    cycle collector freed it mid-way through Qt walking every widget (a segfault when
    tests/ui/test_faces_gui.py ran before tests/ui/test_attendance_gui.py)."""
    import shiboken6
    from PySide6.QtCore import QDate, QEvent
    from PySide6.QtWidgets import QApplication, QWidget

    from kiosk.ui.widgets.date_button import DateButton

    page = QWidget()
    button = DateButton(QDate(2026, 12, 1))
    button.setParent(page)
    calendar = button.calendar
    button.click()
    assert calendar.isVisible() and calendar.isWindow()  # still a popup window of its own
    calendar.hide()
    page.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(calendar)
