"""A sign-in in the real kiosk window reaches a real webhook on 127.0.0.1 as ``signin.accepted``.

Real models, real SQLCipher, a video-file camera (deepface P01 enrolled from img1/img2/img4,
walking up as img6/img11, as in test_kiosk_flows.py), and the window's own sender thread.
"""

from __future__ import annotations

import json

from kiosk.ui.result_view import ACCEPT
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
