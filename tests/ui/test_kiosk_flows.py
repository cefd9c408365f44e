"""End-to-end kiosk flows on real models, a real SQLCipher database and video-file cameras.

Videos are made inside the tests from ../shared photos: Angelina Jolie (deepface P01)
is enrolled from img1/img2/img4 (or a video of img1/img2) and walks up as img6/img11;
the stranger is P02 (img3), whose cosine to P01's photos is at most 0.15 (the test
pack's low threshold is 0.25). Those photos were picked because, scaled into a
640x480 video, the passive liveness model scores them live (>= 0.78; img4, img7 and
img10 score below 0.35 and would be refused as presentation attacks, as they should).
"""

from __future__ import annotations

import functools
import time

from kiosk.flows.signin import ACCEPT, REJECT, RETRY

WAIT_MS = 90_000
PIN = "246810"  # the registry fixture's admin PIN


def enroll_from_photos(registry, analyzer, faces_dir, names, name, external_id):
    from kiosk.engine.aggregate import aggregate

    obs = [analyzer.embed_image(faces_dir / "deepface" / n) for n in names]
    return registry.enroll(name, external_id, aggregate(obs, min_valid=1, outlier_cosine=0.3))


def wait_screen(qtbot, window, *names, timeout=WAIT_MS):
    qtbot.waitUntil(lambda: window.nav.current_name in names, timeout=timeout)
    return window.nav.current


def sign_in(qtbot, window):
    """From the attract screen with live frames, tap Sign in (unless a face already started it); the result view."""
    attract = wait_screen(qtbot, window, "attract", "login")
    if attract.name == "attract":
        qtbot.waitUntil(lambda: attract.preview.has_frame or window.nav.current_name != "attract", timeout=WAIT_MS)
        if window.nav.current_name == "attract":
            attract.start_button.click()
    return wait_screen(qtbot, window, "result").view


def admin_sign_in(qtbot, window):
    screen = wait_screen(qtbot, window, "attract", "login", "result")
    if screen.name != "attract":
        window.nav.go("attract")
    window.nav.current.admin_button.click()
    pin = wait_screen(qtbot, window, "pin")
    pin.pad.type_pin(PIN)
    return wait_screen(qtbot, window, "admin_home", timeout=5000)


def test_enrolled_person_is_greeted_by_name(qtbot, registry, analyzer, faces_dir, person_video, make_window):
    enroll_from_photos(registry, analyzer, faces_dir, ["img1.jpg", "img2.jpg", "img4.jpg"], "Angelina Jolie", "P01")
    window = make_window(person_video("img6.jpg", "img11.jpg"))
    view = sign_in(qtbot, window)
    assert view.kind == ACCEPT, view
    screen = window.nav.current
    assert screen.title.text() == "Welcome"
    assert screen.person.text() == "Angelina Jolie" and screen.person.isVisible()
    assert registry.audit_log(event="identify")[0].decision == "accept"


def test_person_not_enrolled_is_not_recognised(qtbot, registry, analyzer, faces_dir, person_video, make_window):
    enroll_from_photos(registry, analyzer, faces_dir, ["img1.jpg", "img2.jpg", "img4.jpg"], "Angelina Jolie", "P01")
    window = make_window(person_video("img3.jpg"))
    view = sign_in(qtbot, window)
    assert view.kind == REJECT, view
    screen = window.nav.current
    assert screen.title.text() == "Not recognised"
    assert not screen.person.isVisible() and "Jolie" not in screen.detail.text()


def test_wrong_pin_locks_out_then_right_pin_after_the_lockout(qtbot, registry, person_video, make_window, monkeypatch):
    from kiosk.store import admins

    now = [time.time()]
    # The lockout is real (the registry counts failures in the database); only its clock is ours.
    monkeypatch.setattr(admins, "check_pin", functools.partial(admins.check_pin, clock=lambda: now[0]))
    window = make_window(person_video("img3.jpg", frames=30), clock=lambda: now[0])
    wait_screen(qtbot, window, "attract", "out_of_order")
    window.nav.go("pin")
    screen = window.nav.current
    for _ in range(5):
        screen.pad.type_pin("111111")
    assert "Locked for 30 more seconds" in screen.message.text()
    assert not screen.pad.keys["5"].isEnabled()
    screen.pad.type_pin(PIN)  # the pad is disabled while locked: the taps do nothing
    assert window.nav.current_name == "pin"
    now[0] += 31
    screen.tick.timeout.emit()
    assert screen.pad.keys["5"].isEnabled()
    screen.pad.type_pin(PIN)
    assert window.nav.current_name == "admin_home"
    rejected = [e for e in registry.audit_log(event="admin_login") if e.decision == "reject"]
    assert len(rejected) == 3  # the third wrong PIN locked the pad; later taps never reached the registry


def test_first_start_takes_a_pin_only_with_the_setup_code_printed_on_the_computer(qtbot, kiosk_settings, pack, db_key, person_video, make_window, capsys):
    """Issue 21: on a fresh installation whoever first touched the screen chose the admin PIN
    (123456 was taken). Now the screen waits for `kiosk admin set-pin --setup-code` (the
    installer runs it), asks for that code, and refuses a run or a repeat."""
    from kiosk.cli.main import main

    window = make_window(person_video("img3.jpg", frames=30))
    screen = wait_screen(qtbot, window, "pin", "attract", timeout=30000)
    assert screen.name == "pin" and screen.mode == "setup"
    assert screen.title.text() == "This kiosk is not set up yet" and "kiosk admin set-pin" in screen.message.text()
    assert not screen.cancel_button.isVisible() and not screen.pad.isVisible() and not screen.pad.keys["5"].isEnabled()
    screen.pad.type_pin("975310")  # nothing to type on, and a tap that got there would reach nothing
    assert not window.ctx.registry.has_admin()

    assert main(["admin", "set-pin", "--setup-code"]) == 0  # at the computer, beside the running kiosk
    code = capsys.readouterr().out.split("setup code: ")[1].split()[0]
    qtbot.waitUntil(lambda: screen.title.text() == "Type the setup code", timeout=5000)  # it looks each second
    screen.pad.type_pin(f"{(int(code) + 1) % 10**8:08d}")
    assert screen.message.text() == "Wrong setup code. Try again." and screen.message.property("role") == "error"
    screen.pad.type_pin(code)
    assert screen.title.text() == "Choose the admin PIN"
    screen.pad.type_pin("12345")
    assert "at least 6 digits" in screen.message.text()
    screen.pad.type_pin("123456")
    assert screen.message.text().startswith("This PIN is too easy to guess")
    screen.pad.type_pin("975310")
    assert screen.title.text() == "Type the same PIN again"
    screen.pad.type_pin("975310")
    assert window.nav.current_name == "admin_home"
    assert window.ctx.registry.has_admin() and not window.ctx.registry.setup_armed()


def test_enroll_through_the_screens_then_sign_in_then_delete(qtbot, registry, analyzer, faces_dir, person_video, make_window, kiosk_settings):
    kiosk_settings.enroll.security = "standard"  # a video of still photos cannot turn its head
    window = make_window(person_video("img1.jpg", "img2.jpg", frames=150))
    home = admin_sign_in(qtbot, window)
    home.buttons["enroll"].click()
    enroll = wait_screen(qtbot, window, "enroll")
    kb = enroll.keyboard
    kb.type_keys("jolie ")
    kb.mode_key.click()
    kb.type_keys("ㅈㅗㄹㄹㅣ")
    kb.done_key.click()  # on to the ID field
    kb.mode_key.click()
    kb.type_keys("p01")
    assert (enroll.name_edit.text(), enroll.id_edit.text()) == ("jolie 졸리", "p01")
    enroll.camera_button.click()
    qtbot.waitUntil(lambda: enroll.pages.currentWidget() is not enroll.capture_page, timeout=WAIT_MS)
    assert enroll.pages.currentWidget() is enroll.review_page, enroll.form_message.text()
    assert enroll.duplicate is None
    enroll.save_button.click()
    assert enroll.review_title.text() == "jolie 졸리 is enrolled."
    enroll.done_button.click()
    people = wait_screen(qtbot, window, "admin_home")
    home.buttons["people"].click()
    people = wait_screen(qtbot, window, "people")
    assert [(p.name, p.external_id) for p in people.people] == [("jolie 졸리", "p01")]

    # Sign in as a visitor, from other photos of the same person.
    window.ctx.worker.set_source(str(person_video("img6.jpg")))
    people.back_button.click()
    home.buttons["back"].click()
    view = sign_in(qtbot, window)
    assert view.kind == ACCEPT and view.name == "jolie 졸리"

    # Delete (with confirmation): the same face is no longer let in. Someone else stays enrolled:
    # with nobody enrolled the kiosk does not offer sign-in at all (test_early_attract).
    enroll_from_photos(window.ctx.registry, analyzer, faces_dir, ["img20.jpg"], "Other Person", "p07")
    home = admin_sign_in(qtbot, window)
    home.buttons["people"].click()
    people = wait_screen(qtbot, window, "people")
    assert people.select_person(next(p.id for p in people.people if p.external_id == "p01"))
    people.delete_button.click()
    assert people.confirm.isVisible() and "jolie 졸리" in people.confirm_label.text()
    people.confirm_yes.click()
    assert [p.external_id for p in people.people] == ["p07"]
    people.back_button.click()
    home.buttons["back"].click()
    view = sign_in(qtbot, window)
    assert view.kind in (REJECT, RETRY) and view.name is None


def test_after_a_result_the_same_face_must_step_away_before_signing_in_again(qtbot, registry, analyzer, faces_dir, person_video, make_window, kiosk_settings):
    enroll_from_photos(registry, analyzer, faces_dir, ["img1.jpg", "img2.jpg", "img4.jpg"], "Angelina Jolie", "P01")
    window = make_window(person_video("img6.jpg"))
    assert sign_in(qtbot, window).kind == ACCEPT
    window.nav.current.done_button.click()
    assert window.nav.current_name == "attract"
    qtbot.wait(4000)  # a face in view the whole time: a fresh visitor would be signed in within about a second
    assert window.nav.current_name == "attract"
    assert len(registry.audit_log(event="identify")) == 1
    window.nav.current.start_button.click()  # asking explicitly still works
    assert wait_screen(qtbot, window, "result").view.kind == ACCEPT
