"""Card + face in the real kiosk window: real key events (QTest, at the window, as a USB
reader's reach it), real models on a person video, a real SQLCipher database.

Angelina Jolie (deepface P01) is enrolled as P01 from img1/img2/img4 and walks up as img6/img11 (the
videos of tests/ui/test_kiosk_flows.py); deepface P02 is enrolled as 1002 from img3.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from kiosk.flows.verify import Method, VerifyKind

from tests.ui.test_kiosk_flows import WAIT_MS, enroll_from_photos, wait_screen

# The whole module is in the full suite only: about 17 s of a 12-minute run on 2 idle cores
# (pytest --durations=0), out of the fast lane (pytest -m "not slow", README).
pytestmark = pytest.mark.slow

PERSON_PIN = "975310"


def type_at_window(qtbot, window, text: str, gap_ms: int = 4) -> None:
    """Key presses at the window (where the OS delivers a reader's keys), then Enter;
    ``gap_ms`` between keys: 4 is a reader's burst, 150 a person typing. The offscreen
    platform stamps no real key times, so the listener's clock steps by ``gap_ms`` per key
    (on Windows and X11 it reads the OS's own stamps); a person's keys also really wait."""
    step = [0.0]

    def stepping() -> float:
        step[0] += gap_ms / 1000
        return step[0]

    window.badges.clock = stepping
    window.badges.os_timestamps = False  # QTest's key events carry made-up stamps on every platform
    handle = window.windowHandle()
    for ch in text:
        QTest.keyClick(handle, ch)  # the character overload: the key and its text, capitals included
        if gap_ms > 50:
            qtbot.wait(gap_ms)
    QTest.keyClick(handle, Qt.Key.Key_Return)


@pytest.fixture
def verify_settings(kiosk_settings):
    kiosk_settings.login.mode = "verify"
    kiosk_settings.login.pin_fallback = True
    return kiosk_settings


@pytest.fixture
def enrolled(registry, analyzer, faces_dir):
    jolie = enroll_from_photos(registry, analyzer, faces_dir, ["img1.jpg", "img2.jpg", "img4.jpg"], "Angelina Jolie", "P01")
    other = enroll_from_photos(registry, analyzer, faces_dir, ["img3.jpg"], "Second Person", "1002")  # a number: the keypad's
    registry.set_person_pin(other.id, PERSON_PIN)
    return {"P01": jolie, "1002": other}


def ready_attract(qtbot, window):
    attract = wait_screen(qtbot, window, "attract")
    qtbot.waitUntil(lambda: window.ctx.analyzer is not None and attract.preview.has_frame, timeout=WAIT_MS)
    return attract


def test_a_badge_swipe_on_the_attract_screen_verifies_that_person(qtbot, verify_settings, enrolled, registry, person_video, make_window):
    window = make_window(person_video("img6.jpg", "img11.jpg"))
    attract = ready_attract(qtbot, window)
    assert attract.subtitle.text() == "Show your badge, or tap Sign in to type your ID"
    qtbot.wait(1500)
    assert window.nav.current_name == "attract"  # in verify mode a face alone starts nothing
    type_at_window(qtbot, window, "P01")  # a reader's burst: nothing was touched or focused
    login = wait_screen(qtbot, window, "login", timeout=5000)
    assert login.claim == "P01"
    screen = wait_screen(qtbot, window, "verify_result")
    assert (screen.view.kind, screen.view.method) == (VerifyKind.ACCEPT, Method.VERIFY), screen.view
    assert screen.person.text() == "Angelina Jolie" and screen.title.text() == "Welcome"
    assert registry.audit_log(event="signin_verify")[0].decision == "accept"


def test_a_person_typing_at_the_attract_screen_starts_nothing(qtbot, verify_settings, enrolled, person_video, make_window):
    window = make_window(person_video("img6.jpg"))
    ready_attract(qtbot, window)
    type_at_window(qtbot, window, "P01", gap_ms=150)
    qtbot.wait(200)
    type_at_window(qtbot, window, "P01", gap_ms=60)  # a very fast typist
    qtbot.wait(500)
    assert window.nav.current_name == "attract"


def test_the_wrong_face_for_an_id_offers_the_pin_and_the_pin_signs_in(qtbot, verify_settings, enrolled, registry, person_video, make_window):
    """Jolie's face with 1002's id typed on the keypad: not confirmed, the fallback PIN offered; the PIN typed on
    the pad signs 1002 in as a fallback (signin.fallback)."""
    window = make_window(person_video("img6.jpg", "img11.jpg"))
    attract = ready_attract(qtbot, window)
    attract.start_button.click()  # no badge: the keypad
    claim = wait_screen(qtbot, window, "claim", timeout=5000)
    claim.pad.type_pin("")  # OK on an empty id does nothing
    assert window.nav.current_name == "claim"
    for ch in "1002":
        claim.pad.keys[ch].click()
    assert claim.pad.display.text() == "1002"  # an id is shown as typed, not masked
    claim.pad.keys["ok"].click()
    screen = wait_screen(qtbot, window, "verify_result")
    assert screen.view.kind in (VerifyKind.REJECT, VerifyKind.RETRY) and screen.pin_button.isVisible(), screen.view
    assert "Jolie" not in screen.detail.text() and not screen.person.isVisible()
    screen.pin_button.click()
    pin = wait_screen(qtbot, window, "fallback_pin", timeout=5000)
    pin.pad.type_pin(PERSON_PIN)
    screen = wait_screen(qtbot, window, "verify_result", timeout=5000)
    assert (screen.view.kind, screen.view.method, screen.person.text()) == (VerifyKind.ACCEPT, Method.FALLBACK, "Second Person")
    assert registry.audit_log(event="signin_fallback")[0].decision == "accept"


def test_a_locked_id_is_told_its_wait_before_any_capture(qtbot, verify_settings, enrolled, registry, person_video, make_window):
    now = [1_800_000_000.0]
    window = make_window(person_video("img6.jpg"))
    window.ctx.wall_clock = lambda: now[0]
    ready_attract(qtbot, window)
    for _ in range(5):
        registry.check_person_pin(enrolled["1002"].id, "000000", now[0])
    type_at_window(qtbot, window, "1002")
    screen = wait_screen(qtbot, window, "verify_result", timeout=5000)
    assert screen.view.kind == VerifyKind.LOCKED and screen.view.wait_s == 30
    assert screen.detail.text() == "ID 1002 is locked. Try again in 30 seconds, or ask a member of staff."
    now[0] += 12
    screen.retranslate()
    assert "18 seconds" in screen.detail.text()


def test_the_settings_screen_chooses_the_mode_and_shows_the_1_to_1_threshold(qtbot, kiosk_settings, registry, person_video, make_window):
    from kiosk.config import load_settings
    from tests.ui.test_admin_screens import open_admin

    window = make_window(person_video("img3.jpg", frames=30))
    screen = open_admin(qtbot, window, "settings")
    box = screen.signin_mode
    assert box.mode.currentData() == "identify" and not box.pin_fallback.isChecked()
    high = window.ctx.analyzer.pack.thresholds.high
    assert box.note.text().endswith(f"accepted at {high:.2f} or above; the face alone at {high:.2f}.")  # no 1:1 band calibrated
    box.mode.setCurrentIndex(box.mode.findData("either"))
    box.pin_fallback.setChecked(True)
    screen.save_button.click()
    assert not screen.understand.isVisible()  # no weakening to confirm: Save asks, that is all
    screen.confirm_yes.click()
    assert screen.status.text().startswith("Saved to ")
    saved = load_settings(data_dir=kiosk_settings.data_dir, environ={})
    assert (saved.login.mode, saved.login.pin_fallback) == ("either", True)
    assert window.ctx.settings.login.mode == "either"  # applied at once: a swipe now starts card + face


def test_the_people_screen_shows_a_lockout_and_the_admin_clears_it_and_sets_a_pin(qtbot, enrolled, registry, person_video, make_window):
    from tests.ui.test_admin_screens import open_admin

    now = [1_800_000_000.0]
    window = make_window(person_video("img3.jpg", frames=30))
    window.ctx.wall_clock = lambda: now[0]
    for _ in range(5):
        registry.check_person_pin(enrolled["1002"].id, "000000", now[0])
    people = open_admin(qtbot, window, "people")
    row = next(i for i, p in enumerate(people.people) if p.external_id == "1002")
    assert people.table.item(row, 2).text() == "Locked for 30 s"
    assert people.select_person(enrolled["1002"].id)
    box = people.signin_box
    assert box.isVisible() and "Failed sign-ins in a row: 0 by face, 5 by PIN" in box.text.text()
    assert "Locked for 30 more seconds" in box.text.text() and "Personal PIN set" in box.text.text()
    box.clear_button.click()
    assert registry.lock_remaining(enrolled["1002"].id, now[0]) == 0
    assert registry.audit_log(event="signin_unlock")[0].person_id == enrolled["1002"].id
    assert people.table.item(row, 2).text() == "Enrolled" and not box.clear_button.isEnabled()
    # A PIN for P01, chosen and typed again on the pad; a short one first is refused with the rule.
    assert people.select_person(enrolled["P01"].id)
    assert "No personal PIN" in box.text.text()
    box.pin_button.click()
    box.pad.type_pin("123")
    assert "at least 6 digits" in box.text.text()
    box.pad.type_pin("864200")
    box.pad.type_pin("864200")
    assert "The personal PIN was saved." in box.text.text() and not box.pad.isVisible()
    assert registry.check_person_pin(enrolled["P01"].id, "864200", now[0]) is None


def test_in_either_mode_the_face_alone_signs_in_and_a_swipe_during_it_switches_to_verify(qtbot, kiosk_settings, enrolled, registry, person_video, make_window):
    kiosk_settings.login.mode = "either"
    window = make_window(person_video("img6.jpg", "img11.jpg"))
    wait_screen(qtbot, window, "login")  # the face alone started a 1:N capture
    assert window.nav.current.claim is None
    type_at_window(qtbot, window, "P01")
    qtbot.waitUntil(lambda: window.nav.current_name == "verify_result", timeout=WAIT_MS)
    screen = window.nav.current
    assert (screen.view.kind, screen.view.claim, screen.person.text()) == (VerifyKind.ACCEPT, "P01", "Angelina Jolie")
    assert registry.audit_log(event="signin_verify")[0].decision == "accept"


def test_a_pin_is_set_right_after_enrollment_when_the_fallback_is_on(qtbot, verify_settings, registry, faces_dir, person_video, make_window):
    from tests.ui.test_admin_screens import open_admin

    window = make_window(person_video("img3.jpg", frames=30))
    screen = open_admin(qtbot, window, "enroll")
    screen.name_edit.setText("Angelina Jolie")
    screen.id_edit.setText("7001")
    screen.enroll_from_files([faces_dir / "deepface" / "img1.jpg", faces_dir / "deepface" / "img2.jpg"])
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.review_page, timeout=WAIT_MS)
    assert not screen.pin_button.isVisible()  # not before it is saved
    screen.save_button.click()
    assert screen.pin_button.isVisible()
    screen.pin_button.click()
    people = window.nav.current
    assert people.name == "people" and people.selected().external_id == "7001"
    assert people.signin_box.pad.isVisible() and not people.table.isVisible()  # the pad takes the list's room
    people.signin_box.pad.type_pin(PERSON_PIN)
    people.signin_box.pad.type_pin(PERSON_PIN)
    assert people.table.isVisible() and registry.has_person_pin(registry.find_person("7001").id)
