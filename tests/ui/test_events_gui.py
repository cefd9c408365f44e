"""A sign-in in the real kiosk window reaches a real webhook on 127.0.0.1 as ``signin.accepted``.

Real models, real SQLCipher, a video-file camera (deepface P01 enrolled from img1/img2/img4,
walking up as img6/img11, as in test_kiosk_flows.py), and the window's own sender thread.
"""

from __future__ import annotations

import json
import sys

from kiosk.capture.commands import CameraState, SourceStateChanged
from kiosk.flows.signin import ACCEPT
from tests.events.conftest import SECRET, verify_signature
from tests.events.receiver import Receiver
from tests.ui.test_kiosk_flows import WAIT_MS, admin_sign_in, enroll_from_photos, sign_in


def test_gui_sign_in_arrives_at_the_webhook(qtbot, registry, analyzer, faces_dir, person_video, make_window, kiosk_settings):
    enroll_from_photos(registry, analyzer, faces_dir, ["img1.jpg", "img2.jpg", "img4.jpg"], "Angelina Jolie", "P01")
    with Receiver(fail_first=1) as rx:
        kiosk_settings.events.webhook_url = rx.url
        kiosk_settings.events.webhook_secret = SECRET
        kiosk_settings.events.retry_base_s = 0.05
        window = make_window(person_video("img6.jpg", "img11.jpg"))
        view = sign_in(qtbot, window)
        assert view.kind == ACCEPT, view

        def signed_in() -> list[dict]:
            return [json.loads(r["body"]) for r in rx.accepted() if json.loads(r["body"])["type"] == "signin.accepted"]

        qtbot.waitUntil(lambda: bool(signed_in()), timeout=WAIT_MS)
        event = signed_in()[0]
        assert event["person"] == {"id": "P01", "name": "Angelina Jolie"}
        assert event["pack"] == registry.pack_id and event["score"] >= registry.bands.high
        assert all(verify_signature(r) for r in rx.accepted())
        home = admin_sign_in(qtbot, window)
        qtbot.waitUntil(lambda: (home.retranslate(), "all sent" in home.events_status.text())[1], timeout=WAIT_MS)
        assert "Last delivery error" not in home.events_status.text()  # the refusal was retried away


def test_spoof_refusal_and_a_lost_camera_are_events(qtbot, registry, analyzer, faces_dir, person_video, make_window, kiosk_settings):
    """img7 scaled into a video scores below 0.35 on the passive liveness model (see
    test_kiosk_flows.py): the login screen refuses it, and the refusal is ``signin.spoof``."""
    from kiosk.flows.signin import SPOOF

    enroll_from_photos(registry, analyzer, faces_dir, ["img1.jpg", "img2.jpg"], "Angelina Jolie", "P01")  # sign-in needs someone enrolled

    with Receiver() as rx:
        kiosk_settings.events.webhook_url = rx.url
        kiosk_settings.events.webhook_secret = SECRET
        window = make_window(person_video("img7.jpg"))
        view = sign_in(qtbot, window)
        assert view.kind == SPOOF, view
        admin_sign_in(qtbot, window)  # an admin screen: a lost camera does not leave it
        for state in (CameraState.LOST, CameraState.OPENING, CameraState.LOST, CameraState.LIVE):  # as a dying camera sends them
            window.model.handle(SourceStateChanged(state))  # the second LOST: still lost, not a second event

        def types() -> list[str]:
            return [json.loads(r["body"])["type"] for r in rx.accepted()]

        qtbot.waitUntil(lambda: "camera.back" in types(), timeout=WAIT_MS)
        assert [t for t in types() if t.startswith(("signin", "camera"))] == ["signin.spoof", "camera.lost", "camera.back"]
        spoof = next(json.loads(r["body"]) for r in rx.accepted() if json.loads(r["body"])["type"] == "signin.spoof")
        assert "person" not in spoof and "score" not in spoof


def test_settings_screen_sets_the_sinks_and_refuses_a_bad_one(qtbot, kiosk_settings):
    from kiosk.config import load_settings
    from kiosk.ui.window import KioskWindow

    window = KioskWindow(kiosk_settings)  # not started: the settings screen needs no camera or models here
    qtbot.addWidget(window)
    window.ctx.admin_signed_in = True
    window.nav.go("settings")
    screen = window.nav.current
    edits = screen.events_box.edits
    edits["webhook_url"].setText("https://doors.example.org/kiosk")
    screen.save()
    assert "events.webhook_secret" in screen.status.text()  # named, and nothing written
    assert not kiosk_settings.config_path.exists()
    edits["webhook_secret"].setText(SECRET)
    edits["kiosk_name"].setText("lobby-2")
    edits["command"].setText(f"{sys.executable} -c 'import sys' 'two words'")  # quotes group words (POSIX rules)
    screen.save()
    assert "events.webhook_secret: (hidden) -> (hidden)" in screen.confirm_changes.text()
    assert SECRET not in screen.confirm_changes.text()  # the change is shown, the secret never
    screen.confirm_yes.click()
    saved = load_settings(data_dir=kiosk_settings.data_dir).events
    assert (saved.webhook_url, saved.webhook_secret, saved.kiosk_name) == ("https://doors.example.org/kiosk", SECRET, "lobby-2")
    assert saved.command == [sys.executable, "-c", "import sys", "two words"]
    assert window.ctx.settings.events.kiosk_name == "lobby-2"  # applied to the running kiosk
