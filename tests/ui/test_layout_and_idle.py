"""Touch targets, text that fits, in both orientations and languages; idle timeout out of admin screens."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton

SCREENS = ("attract", "result", "pin", "admin_home", "enroll", "people", "settings", "audit", "lookalike", "out_of_order", "operator")


@pytest.fixture
def window(qtbot, kiosk_settings):
    from kiosk.ui.window import KioskWindow

    now = [1000.0]
    kiosk_settings.ui.language = "en"
    win = KioskWindow(kiosk_settings, clock=lambda: now[0])  # not started: layout needs no models
    win.now = now
    qtbot.addWidget(win)
    win.show()
    yield win
    win.set_language("en")


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_button_is_a_touch_target_and_its_text_fits(qtbot, window, size, lang):
    window.resize(*size)
    window.set_language(lang)
    problems = []
    for name in SCREENS:
        window.ctx.admin_signed_in = True
        window.nav.go(name)
        qtbot.wait(20)
        screen = window.nav.current
        assert screen.name == name
        if (window.width(), window.height()) != size:  # a layout's minimum size pushed the window past the screen
            problems.append(f"{name}: needs {window.width()}x{window.height()}")
            window.resize(*size)
        for b in screen.findChildren(QAbstractButton):
            if not b.isVisibleTo(screen) or not b.text():
                continue
            if b.height() < 48 or b.width() < 48:
                problems.append(f"{name}: {b.text()!r} is {b.width()}x{b.height()}")
            if b.fontMetrics().horizontalAdvance(b.text()) > b.contentsRect().width():
                problems.append(f"{name}: {b.text()!r} does not fit in {b.contentsRect().width()} px")
    assert not problems, problems


def test_idle_admin_screen_returns_to_attract_and_signs_out(qtbot, window):
    window.resize(1080, 1920)
    window.ctx.admin_signed_in = True
    window.nav.go("settings")
    window.now[0] += window.ctx.settings.ui.idle_timeout_s - 1
    window.check_idle()
    assert window.nav.current_name == "settings"
    window.now[0] += 1
    window.check_idle()
    assert window.nav.current_name == "attract"
    assert not window.ctx.admin_signed_in
    window.nav.go("admin_home")  # signed out: an admin screen asks for the PIN again
    assert window.nav.current_name == "pin"


def test_touch_resets_the_idle_timer(qtbot, window):
    window.resize(1080, 1920)
    window.ctx.admin_signed_in = True
    window.nav.go("people")
    window.now[0] += window.ctx.settings.ui.idle_timeout_s - 5
    qtbot.mouseClick(window.nav.current.search, Qt.MouseButton.LeftButton)
    window.now[0] += 10
    window.check_idle()
    assert window.nav.current_name == "people"


def test_kiosk_mode_is_left_only_through_the_admin_screen(qtbot, window):
    window.kiosk_mode = True
    window.close()  # what Alt+F4 or a window manager asks
    assert window.isVisible()
    window.ctx.admin_signed_in = True
    window.nav.go("admin_home")
    window.nav.current.buttons["exit"].click()
    assert not window.isVisible()


def test_hide_cursor_setting_blanks_the_pointer_everywhere_and_back(qtbot, window):
    from PySide6.QtWidgets import QApplication

    window.ctx.settings.ui.hide_cursor = True
    window.apply_cursor()
    window.apply_cursor()  # idempotent: one override, not a stack of them
    assert QApplication.overrideCursor().shape() == Qt.CursorShape.BlankCursor
    window.ctx.settings.ui.hide_cursor = False
    window.apply_cursor()
    assert QApplication.overrideCursor() is None
