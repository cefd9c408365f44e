"""Card + face in the real kiosk window: real key events (QTest, at the window, as a USB
reader's reach it), real models on a person video, a real SQLCipher database.

Angelina Jolie (deepface P01) is enrolled from img1/img2/img4 and walks up as img6/img11
(the videos of tests/ui/test_kiosk_flows.py); P02 is enrolled from img3 and never shown.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from kiosk.flows.verify import Method, VerifyKind

from tests.ui.test_kiosk_flows import WAIT_MS, enroll_from_photos, wait_screen

PERSON_PIN = "975310"


def type_at_window(qtbot, window, text: str, gap_ms: int = 0) -> None:
    """Key presses at the window (where the OS delivers a reader's keys), then Enter;
    ``gap_ms`` between keys: 0 is a reader's burst, 150 a person typing."""
    handle = window.windowHandle()
    for ch in text:
        QTest.keyClick(handle, ch)  # the character overload: the key and its text, capitals included
        if gap_ms:
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
    other = enroll_from_photos(registry, analyzer, faces_dir, ["img3.jpg"], "Second Person", "P02")
    registry.set_person_pin(other.id, PERSON_PIN)
    return {"P01": jolie, "P02": other}


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
    qtbot.wait(500)
    assert window.nav.current_name == "attract"


def test_the_wrong_face_for_an_id_offers_the_pin_and_the_pin_signs_in(qtbot, verify_settings, enrolled, registry, person_video, make_window):
    """Jolie's face with P02's badge: not confirmed, the fallback PIN offered; the PIN typed on
    the pad signs P02 in as a fallback (signin.fallback)."""
    window = make_window(person_video("img6.jpg", "img11.jpg"))
    attract = ready_attract(qtbot, window)
    attract.start_button.click()  # no badge: the keypad
    claim = wait_screen(qtbot, window, "claim", timeout=5000)
    claim.pad.type_pin("")  # OK on an empty id does nothing
    assert window.nav.current_name == "claim"
    for ch in "02":
        claim.pad.keys[ch].click()
    claim.pad.entry.digits = "P" + claim.pad.entry.digits  # the keypad has digits only; ids here are P-numbers
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
    for i in range(5):
        registry.check_person_pin(enrolled["P02"].id, "000000", now[0])
    type_at_window(qtbot, window, "P02")
    screen = wait_screen(qtbot, window, "verify_result", timeout=5000)
    assert screen.view.kind == VerifyKind.LOCKED and screen.view.wait_s == 30
    assert screen.detail.text() == "ID P02 is locked. Try again in 30 seconds, or ask a member of staff."
    now[0] += 12
    screen.retranslate()
    assert "18 seconds" in screen.detail.text()
