"""Touch targets, text that fits, in both orientations and languages; idle timeout out of admin screens."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel

SCREENS = ("attract", "result", "pin", "admin_home", "enroll", "people", "settings", "audit", "lookalike", "out_of_order", "operator")


@pytest.fixture
def styled(qapp):
    """The kiosk's own font and style sheet (as ``kiosk run`` sets them): text widths depend on both."""
    from kiosk.ui.app import ensure_application

    font, sheet = qapp.font(), qapp.styleSheet()
    ensure_application()
    yield qapp
    qapp.setFont(font)
    qapp.setStyleSheet(sheet)


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


def button_text_width(b: QAbstractButton) -> int:
    """The width a button needs for its text: the text plus the style sheet's padding and border.

    ``contentsRect()`` ignores style-sheet padding and ``sizeHint()`` has an 80 px floor, so
    the padding is measured once on a text long enough to be past that floor.
    """
    text, probe = b.text(), "W" * 40
    b.setText(probe)
    padding = b.sizeHint().width() - b.fontMetrics().horizontalAdvance(probe)
    b.setText(text)
    return b.fontMetrics().horizontalAdvance(text) + padding - SLACK_PX


SLACK_PX = 2  # the probe's rounding: a layout that gives a button its own size hint can read 1 px short


def label_problem(label: QLabel) -> str | None:
    """Why a label's text does not show whole: wrapped text taller than the label, or a line wider."""
    text = label.text()
    if label.textFormat() == Qt.TextFormat.RichText or not text or label.pixmap() is not None and not label.pixmap().isNull():
        return None
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        return f"needs {needed} px of height, has {label.height()}" if needed > label.height() else None
    needed = label.sizeHint().width()  # the text's width plus the style sheet's margins and padding
    return f"needs {needed} px, has {label.width()}" if needed > label.width() else None


SIZE_PARAMS = [pytest.param(size, id=f"{size[0]}x{size[1]}") for size in SIZES]


@pytest.mark.parametrize("size", SIZE_PARAMS)
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_button_is_a_touch_target_and_its_text_fits(qtbot, styled, window, size, lang):
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
            if (needed := button_text_width(b)) > b.width():
                problems.append(f"{name}: button {b.objectName() or type(b).__name__} {b.text()!r} needs {needed} px, has {b.width()}")
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
