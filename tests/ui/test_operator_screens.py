"""Problems only an operator can fix end on a plain message screen, never a traceback."""

from __future__ import annotations

import secrets

import pytest

from kiosk.config import save_settings


@pytest.fixture
def existing_db(registry):
    """A database created under one key (the registry fixture's), then closed."""
    registry.close()


def start(qtbot, kiosk_settings, analyzer, camera):
    from kiosk.ui.window import KioskWindow

    window = KioskWindow(kiosk_settings, camera=str(camera), analyzer=analyzer)
    qtbot.addWidget(window)
    window.resize(1080, 1920)
    window.show()
    window.start()
    qtbot.waitUntil(lambda: window.nav.current_name != "splash", timeout=30000)
    return window


def test_wrong_database_key_shows_the_operator_screen(qtbot, kiosk_settings, analyzer, existing_db, person_video, monkeypatch):
    monkeypatch.setenv("KIOSK_DB_KEY", secrets.token_hex(32))
    window = start(qtbot, kiosk_settings, analyzer, person_video("img3.jpg", frames=20))
    screen = window.nav.current
    assert screen.name == "operator"
    assert "key is missing or wrong" in screen.body.text()
    assert window.ctx.worker is None  # nothing else started: no camera, no sign-in
    window.shutdown()


def test_missing_database_key_shows_the_operator_screen_and_retry_recovers(
    qtbot, kiosk_settings, analyzer, existing_db, db_key, person_video, monkeypatch
):
    monkeypatch.delenv("KIOSK_DB_KEY")
    window = start(qtbot, kiosk_settings, analyzer, person_video("img3.jpg", frames=20))
    screen = window.nav.current
    assert screen.name == "operator"
    assert "KIOSK_DB_KEY" not in screen.body.text()  # the plain words; details are in the small print
    assert "no database key" in screen.detail.text()
    monkeypatch.setenv("KIOSK_DB_KEY", db_key)  # the operator restores the key...
    screen.retry_button.click()  # ...and taps Try again
    assert window.nav.current_name == "attract"
    qtbot.waitUntil(lambda: window.nav.current.preview.has_frame, timeout=30000)
    window.shutdown()


def test_missing_model_pack_shows_the_operator_screen(qtbot, kiosk_settings, tmp_path):
    from kiosk.ui.window import KioskWindow

    kiosk_settings.models = tmp_path / "no-such-pack"
    save_settings(kiosk_settings)
    window = KioskWindow(kiosk_settings, camera="0")  # loads the models on its background thread (and fails)
    qtbot.addWidget(window)
    window.show()
    window.start()
    assert window.nav.current_name == "splash"
    qtbot.waitUntil(lambda: window.nav.current_name == "operator", timeout=30000)
    assert "model pack" in window.nav.current.body.text()
    window.shutdown()
