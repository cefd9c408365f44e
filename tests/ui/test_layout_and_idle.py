"""Touch targets, text that fits, in both orientations and languages; idle timeout out of admin screens."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel

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


# The windowed default (762x960, issue 15), the kiosk's portrait and landscape screens, and two tablets.
SIZES = [(762, 960), (1080, 1920), (1920, 1080), (1280, 800), (800, 1280)]


def label_problem(label: QLabel) -> str | None:
    """Why a label's text does not show whole: wrapped text taller than the label, or a line wider."""
    text, box = label.text(), label.contentsRect()
    if label.textFormat() == Qt.TextFormat.RichText or not text or label.pixmap() is not None and not label.pixmap().isNull():
        return None
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        return f"needs {needed} px of height, has {label.height()}" if needed > label.height() else None
    widest = max(label.fontMetrics().horizontalAdvance(line) for line in text.splitlines() or [text])
    return f"needs {widest} px, has {box.width()}" if widest > box.width() else None


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
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
                problems.append(f"{name}: button {b.objectName() or type(b).__name__} {b.text()!r} does not fit in {b.contentsRect().width()} px")
        for lab in screen.findChildren(QLabel):
            if lab.isVisibleTo(screen) and (why := label_problem(lab)):
                problems.append(f"{name}: label {lab.objectName() or 'QLabel'} {lab.text()!r} {why}")
    assert not problems, "\n".join(problems)


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
