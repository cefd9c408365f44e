"""Leaving the kiosk needs the operator (issue 21 section 2): "Close the kiosk" on the operator
screen, "Exit kiosk mode", and the window's own close (Alt+F4, the close box) all ask for the
admin PIN, or a confirmation when the admin is signed in. Real window, real database."""

from __future__ import annotations

from pathlib import Path

from tests.ui.conftest import ADMIN_PIN

WAIT_MS = 60_000


def test_close_the_kiosk_on_the_operator_screen_needs_the_pin(qtbot, kiosk_settings, registry):
    """The issue's case: the model pack is not found, the kiosk shows the operator screen, and
    "Close the kiosk" quit with no PIN. There is no registry then: the database alone checks it."""
    from kiosk.ui.window import KioskWindow

    kiosk_settings.models = Path(kiosk_settings.data_dir) / "no-such-pack"
    kiosk_settings.ui.language = "en"
    window = KioskWindow(kiosk_settings)
    qtbot.addWidget(window)
    window.show()
    window.start()
    qtbot.waitUntil(lambda: window.nav.current_name == "operator", timeout=WAIT_MS)
    operator = window.nav.current
    detail = operator.detail.text()
    assert "model pack folder not found" in detail
    operator.exit_button.click()
    pin = window.nav.current
    assert (pin.name, pin.mode, pin.title.text(), pin.message.text()) == ("pin", "exit", "Admin PIN", "Type the admin PIN to close the kiosk.")
    assert window.isVisible()
    pin.pad.type_pin("975311")
    assert pin.message.text() == "Wrong PIN. Try again." and window.isVisible()
    pin.cancel_button.click()  # back where it came from, the operator's explanation intact
    assert window.nav.current_name == "operator" and operator.detail.text() == detail
    window.close()  # Alt+F4 or the close box: the same question
    assert window.isVisible() and window.nav.current_name == "pin"
    window.nav.current.pad.type_pin(ADMIN_PIN)
    assert not window.isVisible()
    exits = registry.audit_log(event="kiosk_exit")
    assert [e.detail for e in exits] == ["admin PIN"]
    assert [e.decision for e in registry.audit_log(event="admin_login")] == ["accept", "reject"]  # newest first


def test_exit_kiosk_mode_asks_the_signed_in_admin_to_confirm(qtbot, registry, person_video, make_window):
    window = make_window(person_video("img3.jpg", frames=30))
    qtbot.waitUntil(lambda: window.nav.current_name in ("attract", "login", "result"), timeout=WAIT_MS)
    window.ctx.admin_signed_in = True  # the PIN pad itself: the test above and test_kiosk_flows
    home = window.nav.go("admin_home")
    home.buttons["exit"].click()
    confirm = window.nav.current
    assert (confirm.name, confirm.title.text()) == ("pin", "Close the kiosk?")
    assert not confirm.pad.isVisible() and confirm.confirm_exit_button.isVisible()
    confirm.cancel_button.click()
    assert window.nav.current_name == "admin_home" and window.isVisible()
    home.buttons["exit"].click()
    window.nav.current.confirm_exit_button.click()
    assert not window.isVisible()
    assert [e.detail for e in registry.audit_log(event="kiosk_exit")] == ["confirmed by the signed-in admin"]


def test_closing_the_window_from_a_visitor_screen_needs_the_pin(qtbot, registry, person_video, make_window):
    window = make_window(person_video("img3.jpg", frames=30))
    qtbot.waitUntil(lambda: window.nav.current_name == "attract", timeout=WAIT_MS)
    window.close()
    pin = window.nav.current
    assert (pin.name, pin.mode) == ("pin", "exit") and window.isVisible()
    pin.cancel_button.click()
    assert window.nav.current_name == "attract" and window.isVisible()
    window.close()
    window.nav.current.pad.type_pin(ADMIN_PIN)
    assert not window.isVisible()
