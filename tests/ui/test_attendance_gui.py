"""Attendance and the most typical face on screen (issue 23 §2-3): the result screen's IN/OUT with its
switch and the cooldown line, the export screen writing a real XLSX, a real sign-in from a camera
video in attendance mode, and the look-alike screen's typical-face line, in English and Korean.
Screenshots of each go to ``$KIOSK_SHOTS`` when set (docs/screenshots/attendance-*.png were made so)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
from pathlib import Path

import pytest

from kiosk.clock import SystemZone
from kiosk.flows import attendance
from kiosk.flows.attendance import Direction, PunchStatus, PunchView
from kiosk.flows.signin import ACCEPT, ResultView

# The whole module is in the full suite only: about 32 s of a 12-minute run on 2 idle cores
# (pytest --durations=0), out of the fast lane (pytest -m "not slow", README).
pytestmark = pytest.mark.slow

_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "screenshots.py"
_spec = importlib.util.spec_from_file_location("screenshots", _SCRIPT)
screenshots = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(screenshots)


@pytest.fixture
def window(qtbot, kiosk_settings, registry):
    """The real window, not started (no camera), on the real database, with the kiosk's style sheet."""
    from kiosk.ui.app import ensure_application
    from kiosk.ui.window import KioskWindow

    app = ensure_application()
    font, sheet = app.font(), app.styleSheet()
    kiosk_settings.ui.language = "en"
    win = KioskWindow(kiosk_settings)
    win.ctx.registry = registry
    win.ctx.admin_signed_in = True
    qtbot.addWidget(win)
    win.resize(1080, 1920)
    win.show()
    yield win
    win.set_language("en")
    app.setFont(font)
    app.setStyleSheet(sheet)


def shot(window, qtbot, name: str, widget=None) -> None:
    """Save the window (or a popup ``widget``) as ``attendance-<name>-<lang>.png`` under ``$KIOSK_SHOTS`` (when set)."""
    folder = os.environ.get("KIOSK_SHOTS")
    if folder:
        qtbot.wait(50)
        screenshots.save_png(widget or window, Path(folder) / f"attendance-{name}-{window.languages.language}.png")


def enroll_two(registry, analyzer, faces_dir):
    from kiosk.flows import enroll

    deep = faces_dir / "deepface"
    cosine = enroll.outlier_cosine(registry)
    jolie = enroll.save(registry, "Angelina Jolie", "P01", enroll.template_from_photos(analyzer, [deep / "img1.jpg", deep / "img2.jpg"], cosine)[0])
    kim = enroll.save(registry, "김민수", "P02", enroll.template_from_photos(analyzer, [deep / "img3.jpg"], cosine)[0])
    return jolie, kim


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_result_shows_the_punch_big_and_switches_it_within_the_window(qtbot, window, registry, analyzer, faces_dir, monkeypatch, lang):
    jolie, _ = enroll_two(registry, analyzer, faces_dir)
    window.set_language(lang)
    now = dt.datetime.now(dt.UTC).astimezone(SystemZone()).replace(hour=9, minute=2)
    punch = attendance.punch(registry, jolie.id, now, 120)
    monkeypatch.setattr(attendance, "SWITCH_SECONDS", 1.0)  # the window's length is the flow's; the test waits 1 s, not 3
    result = window.nav.go("result", view=ResultView(ACCEPT, name=jolie.name, person_id=jolie.id, punch=punch))
    words = {"en": ("IN", "OUT", "Recorded at 09:02", "Switch to OUT", "Goodbye"), "ko": ("출근", "퇴근", "09:02에 기록되었습니다", "퇴근으로 바꾸기", "안녕히 가세요")}[lang]
    assert (result.punch.text(), result.detail.text(), result.switch_button.text()) == (words[0], words[2], words[3])
    assert result.punch.isVisible() and result.switch_button.isVisible()
    shot(window, qtbot, "in")
    result.switch_button.click()
    assert result.punch.text() == words[1] and result.title.text() == words[4]
    assert [r.punch.direction for r in registry.punches_between("2000", "3000")] == ["out"]
    assert registry.audit_log(event="punch_switch")[0].decision == "out"
    shot(window, qtbot, "out")
    qtbot.waitUntil(lambda: not result.switch_button.isVisible(), timeout=3000)  # the window closes by itself


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_cooldown_says_already_recorded_and_offers_no_switch(qtbot, window, lang):
    window.set_language(lang)
    earlier = dt.datetime(2026, 12, 1, 9, 2, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    view = ResultView(ACCEPT, name="Angelina Jolie", person_id=1, punch=PunchView(PunchStatus.COOLDOWN, Direction.IN, earlier, 7))
    result = window.nav.go("result", view=view)
    assert result.detail.text() == {"en": "Already recorded at 09:02", "ko": "이미 09:02에 기록되었습니다"}[lang]
    assert result.punch.isVisible() and not result.switch_button.isVisible()
    assert result.title.text() == {"en": "Welcome", "ko": "환영합니다"}[lang]
    shot(window, qtbot, "cooldown")
    failed = window.nav.go("result", view=ResultView(ACCEPT, name="Angelina Jolie", person_id=1, punch=PunchView(PunchStatus.FAILED)))
    assert not failed.punch.isVisible() and not failed.switch_button.isVisible()
    assert failed.detail.text().startswith({"en": "Your attendance was not recorded", "ko": "출퇴근이 기록되지 않았습니다"}[lang])


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_card_and_face_answer_shows_the_punch_as_the_face_alone_does(qtbot, window, registry, analyzer, faces_dir, monkeypatch, lang):
    """Card + face in attendance mode: the verify answer shows the direction big, the punch's time, and the
    switch (the same ``AnswerScreen`` parts as the face-only result); switching corrects the stored punch."""
    from kiosk.flows.verify import VerifyKind, VerifyView

    jolie, _ = enroll_two(registry, analyzer, faces_dir)
    window.set_language(lang)
    now = dt.datetime.now(dt.UTC).astimezone(SystemZone()).replace(hour=9, minute=2)
    punch = attendance.punch(registry, jolie.id, now, 120)
    monkeypatch.setattr(attendance, "SWITCH_SECONDS", 1.0)
    view = VerifyView(VerifyKind.ACCEPT, "P01", name=jolie.name, person_id=jolie.id, punch=punch)
    screen = window.nav.go("verify_result", view=view)
    words = {"en": ("Welcome", "IN", "Recorded at 09:02", "Switch to OUT", "OUT", "Goodbye"), "ko": ("환영합니다", "출근", "09:02에 기록되었습니다", "퇴근으로 바꾸기", "퇴근", "안녕히 가세요")}[lang]
    assert (screen.title.text(), screen.person.text(), screen.punch.text(), screen.detail.text(), screen.switch_button.text()) == (words[0], jolie.name, *words[1:4])
    assert screen.punch.isVisible() and screen.switch_button.isVisible() and not screen.pin_button.isVisible()
    shot(window, qtbot, "verify-in")
    screen.switch_button.click()
    assert (screen.punch.text(), screen.title.text(), screen.view.punch.direction) == (words[4], words[5], Direction.OUT)
    assert [r.punch.direction for r in registry.punches_between("2000", "3000")] == ["out"]
    qtbot.waitUntil(lambda: not screen.switch_button.isVisible(), timeout=3000)
    cooldown = window.nav.go("verify_result", view=VerifyView(VerifyKind.ACCEPT, "P01", name=jolie.name, person_id=jolie.id, punch=PunchView(PunchStatus.COOLDOWN, Direction.IN, now, 7)))
    assert cooldown.detail.text() == {"en": "Already recorded at 09:02", "ko": "이미 09:02에 기록되었습니다"}[lang] and not cooldown.switch_button.isVisible()
    shot(window, qtbot, "verify-cooldown")
    refused = window.nav.go("verify_result", view=VerifyView(VerifyKind.REJECT, "P01", offer_pin=True))
    assert not refused.punch.isVisible() and not refused.switch_button.isVisible() and refused.pin_button.isVisible()


def test_the_fallback_pin_pad_punches_in_attendance_mode(qtbot, window, registry, analyzer, faces_dir):
    """The real PIN pad: the visitor's own PIN after the face failed signs them in and the answer shows their punch."""
    _, kim = enroll_two(registry, analyzer, faces_dir)
    registry.set_person_pin(kim.id, "975310")
    window.ctx.settings.login.mode, window.ctx.settings.login.pin_fallback, window.ctx.settings.login.purpose = "verify", True, "attendance"
    pad = window.nav.go("fallback_pin", claim="P02")
    pad.pad.type_pin("975310")
    screen = window.nav.current
    assert window.nav.current_name == "verify_result" and screen.person.text() == "김민수"
    assert screen.punch.text() == "IN" and screen.detail.text().startswith("Recorded at ") and screen.switch_button.isVisible()
    assert [(r.external_id, r.punch.direction) for r in registry.punches_between("2000", "3000")] == [("P02", "in")]


def test_settings_screen_turns_attendance_on(qtbot, window):
    from kiosk.config import load_settings

    screen = window.nav.go("settings")
    assert screen.purpose.currentData() == "signin"
    screen.purpose.setCurrentIndex(screen.purpose.findData("attendance"))
    screen.save_button.click()
    assert window.ctx.settings.login.purpose == "signin"  # Save asks first (tests/ui/test_settings_guard.py)
    screen.confirm_yes.click()
    assert window.ctx.settings.login.purpose == "attendance"  # live: the next sign-in punches
    assert load_settings(data_dir=window.ctx.settings.data_dir).login.purpose == "attendance"  # and saved


def test_sign_in_mode_shows_no_punch(qtbot, window):
    result = window.nav.go("result", view=ResultView(ACCEPT, name="Angelina Jolie", person_id=1))
    assert not result.punch.isVisible() and not result.switch_button.isVisible()
    assert result.detail.text() == "You are signed in."


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_export_screen_previews_the_days_and_writes_the_xlsx(qtbot, window, registry, analyzer, faces_dir, lang):
    from openpyxl import load_workbook

    jolie, kim = enroll_two(registry, analyzer, faces_dir)
    zone = SystemZone()
    today = dt.datetime.now(dt.UTC).astimezone(zone).date()
    yesterday = today - dt.timedelta(days=1)
    for person, day, hour, minute in ((jolie, yesterday, 8, 58), (jolie, yesterday, 17, 31), (kim, yesterday, 9, 15)):
        attendance.punch(registry, person.id, dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone), 120)
    window.set_language(lang)
    admin = window.nav.go("admin_home")
    admin.buttons["attendance"].click()
    screen = window.nav.current
    assert screen.name == "attendance" and screen.table.rowCount() == 2
    cells = [[screen.table.item(r, c).text() for c in range(7)] for r in range(2)]
    missing_out = {"en": "OUT", "ko": "퇴근"}[lang]
    assert cells == [
        ["P01", "Angelina Jolie", yesterday.isoformat(), "08:58", "17:31", "8:33", ""],
        ["P02", "김민수", yesterday.isoformat(), "09:15", "", "0:00", missing_out],
    ]
    shot(window, qtbot, "export")
    screen.first.click()  # the calendar opens on a tap anywhere on the date
    assert screen.first.calendar.isVisible() and screen.first.calendar.selectedDate() == screen.first.date()
    shot(window, qtbot, "calendar", screen.first.calendar)
    screen.first.calendar.clicked.emit(screen.first.date())  # the same day tapped: the calendar closes, nothing changes
    assert not screen.first.calendar.isVisible() and screen.table.rowCount() == 2
    screen.export_button.click()
    target = window.ctx.settings.data_dir / "exports" / f"attendance-{today - dt.timedelta(days=6)}-{today}.xlsx"
    assert str(target) in screen.status.text()
    rows = [[c.value for c in row] for row in load_workbook(target).active.iter_rows(min_row=2)]
    assert [r[:2] + r[5:] for r in rows] == [["P01", "Angelina Jolie", dt.timedelta(hours=8, minutes=33), 513, None], ["P02", "김민수", dt.timedelta(0), 0, "out"]]
    assert registry.audit_log(event="attendance_export")[0].detail.endswith("2 rows")
    screen.first.setDate(screen.last.date().addDays(1))  # a period that ends before it starts
    assert screen.table.rowCount() == 0 and not screen.export_button.isEnabled()
    assert screen.status.text() == {"en": "The last day is before the first.", "ko": "종료일이 시작일보다 앞입니다."}[lang]


def test_a_real_sign_in_in_attendance_mode_punches_in(qtbot, registry, analyzer, faces_dir, person_video, make_window, kiosk_settings):
    """A camera video of Angelina Jolie (deepface img6), enrolled from img1/img2/img4, in attendance mode."""
    from kiosk.engine.aggregate import aggregate

    kiosk_settings.login.purpose = "attendance"
    photos = [analyzer.embed_image(faces_dir / "deepface" / n) for n in ("img1.jpg", "img2.jpg", "img4.jpg")]
    registry.enroll("Angelina Jolie", "P01", aggregate(photos, min_valid=1, outlier_cosine=0.3))
    window = make_window(person_video("img6.jpg", "img11.jpg"))
    qtbot.waitUntil(lambda: window.nav.current_name in ("attract", "login"), timeout=90_000)
    attract = window.nav.current
    if attract.name == "attract":  # as tests/ui/test_kiosk_flows.py: tap Sign in unless a face already started it
        qtbot.waitUntil(lambda: attract.preview.has_frame or window.nav.current_name != "attract", timeout=90_000)
        if window.nav.current_name == "attract":
            attract.start_button.click()
    qtbot.waitUntil(lambda: window.nav.current_name == "result", timeout=90_000)
    view = window.nav.current.view
    assert view.kind == ACCEPT and view.punch is not None, view
    assert (view.punch.status, view.punch.direction) == (PunchStatus.RECORDED, Direction.IN)
    assert window.nav.current.punch.text() == "IN"
    assert [(r.external_id, r.punch.direction) for r in registry.punches_between("2000", "3000")] == [("P01", "in")]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_lookalike_result_names_the_most_typical_face_and_the_visitors_percentile(qtbot, window, analyzer, faces_dir, pack, tmp_path, lang):
    from kiosk.gallery import ActorGallery, DatasetSource, build_gallery
    from kiosk.gallery.typical import typicality

    train = tmp_path / "actors"
    for actor in ("Chandler", "Joey", "Monica"):  # three actors: a small, quick gallery
        (train / actor).mkdir(parents=True)
        for photo in sorted((faces_dir / "friends_boostface" / "Train" / actor).iterdir())[:2]:
            (train / actor / photo.name).write_bytes(photo.read_bytes())
    build_gallery(DatasetSource.from_folder(train), analyzer, tmp_path / "data", lambda _p: None)
    gallery = ActorGallery.open(tmp_path / "data", pack)
    window.ctx.gallery = gallery
    window.set_language(lang)
    screen = window.nav.go("lookalike")
    window.ctx.capture.release(screen.name)
    vector = analyzer.embed_image(faces_dir / "deepface" / "img3.jpg", policy="largest").embedding  # a visitor, not an actor
    found = typicality(gallery)
    expected = (found.ranking[0].name, found.percentile(found.closeness(vector)))
    assert screen.place(vector) == expected
    files = sorted(p.name for p in (tmp_path / "data").rglob("*") if p.is_file())
    screen.show_matches(gallery.query(vector, k=3), screen.place(vector))
    text = screen.typical.text()
    assert screen.typical.isVisible() and expected[0] in text and f"{expected[1]}%" in text
    assert ("typical" in text) if lang == "en" else ("평균" in text)
    shot(window, qtbot, "lookalike-typical")
    assert sorted(p.name for p in (tmp_path / "data").rglob("*") if p.is_file()) == files  # nothing about the visitor written
