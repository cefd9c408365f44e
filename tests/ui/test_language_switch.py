"""The language switch re-renders every visible string of the attract and result screens."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel

from kiosk.flows.signin import ACCEPT, REJECT, RETRY, SPOOF, ResultView

# The whole module is in the full suite only: about 12 s of a 12-minute run on 2 idle cores
# (pytest --durations=0), out of the fast lane (pytest -m "not slow", README).
pytestmark = pytest.mark.slow

HANGUL = re.compile("[\uac00-\ud7a3]")


def visible_texts(screen) -> dict[str, str]:
    """Every visible label and button text that is words, not data (names carry ``untranslated``)."""
    out = {}
    for widget in screen.findChildren(QLabel) + screen.findChildren(QAbstractButton):
        if widget.isVisibleTo(screen) and widget.text().strip() and not widget.property("untranslated"):
            out[f"{type(widget).__name__}:{widget.objectName()}:{id(widget)}"] = widget.text()
    return out


@pytest.fixture
def window(qtbot, kiosk_settings, monkeypatch):
    from kiosk.ui.window import KioskWindow

    kiosk_settings.ui.language = "en"
    win = KioskWindow(kiosk_settings)  # not started: the screens' words need no camera or models
    qtbot.addWidget(win)
    win.resize(1080, 1920)
    win.show()
    yield win
    win.set_language("en")


def switch(qtbot, window, screen, expected: str) -> None:
    window.nav.go("attract")
    window.nav.current.language_button.click()
    qtbot.waitUntil(lambda: window.languages.language == expected)
    window.nav.go(screen.name, **({"view": screen.view} if screen.name == "result" else {}))


def assert_all_changed(before: dict[str, str], after: dict[str, str]) -> None:
    assert before and before.keys() == after.keys()
    unchanged = {k: v for k, v in before.items() if after[k] == v}
    assert not unchanged, f"not translated: {unchanged}"
    assert all(HANGUL.search(v) or v == "English" for v in after.values()), after


def test_attract_screen_switches_every_string(qtbot, window):
    window.nav.go("attract")
    attract = window.nav.current
    english = visible_texts(attract)
    assert "Look at the camera to sign in" in english.values()
    attract.language_button.click()
    qtbot.waitUntil(lambda: window.languages.language == "ko")
    korean = visible_texts(attract)
    assert_all_changed(english, korean)
    assert attract.language_button.text() == "English"
    attract.language_button.click()
    qtbot.waitUntil(lambda: window.languages.language == "en")
    assert visible_texts(attract) == english


@pytest.mark.parametrize(
    "view",
    [ResultView(ACCEPT, name="김민수"), ResultView(RETRY, reason="too_dark"), ResultView(RETRY, reason="unsure"), ResultView(REJECT), ResultView(SPOOF)],
    ids=lambda v: f"{v.kind}-{v.reason}",
)
def test_result_screen_switches_every_string(qtbot, window, view):
    window.nav.go("result", view=view)
    result = window.nav.current
    english = visible_texts(result)
    switch(qtbot, window, result, "ko")
    assert_all_changed(english, visible_texts(result))
    if view.name:
        assert result.person.text() == view.name  # a name is data: never translated


def test_spoof_refusal_gives_no_hint_how_it_was_detected(qtbot, window):
    window.nav.go("result", view=ResultView(SPOOF))
    words = " ".join(visible_texts(window.nav.current).values()).lower()
    for hint in ("photo", "screen", "spoof", "liveness", "print", "live", "turn", "blink", "move"):
        assert hint not in words


def test_a_visitors_language_is_for_that_visitor_only(qtbot, kiosk_settings):
    """Issue 21: a visitor's Korean stayed on for the next visitors and after the admin's timeout."""
    from kiosk.ui.window import KioskWindow

    now = [1000.0]
    kiosk_settings.ui.language = "en"
    window = KioskWindow(kiosk_settings, clock=lambda: now[0])
    qtbot.addWidget(window)
    window.show()
    attract = window.nav.go("attract")
    attract.language_button.click()
    assert window.languages.language == "ko"
    window.nav.go("result", view=ResultView(ACCEPT, name="김민수"))  # that visitor's result, in their language
    assert window.languages.language == "ko"
    window.nav.go("attract")  # the next visitor
    assert window.languages.language == "en"

    attract.language_button.click()  # a visitor switches and walks away
    now[0] += kiosk_settings.ui.idle_timeout_s + 1
    window.check_idle()
    assert window.languages.language == "en" and window.nav.current_name == "attract"

    attract.language_button.click()
    window.ctx.admin_signed_in = True
    window.nav.go("settings")  # the admin came while Korean was on, and left
    assert window.languages.language == "ko"
    now[0] += kiosk_settings.ui.idle_timeout_s + 1
    window.check_idle()
    assert window.nav.current_name == "attract" and window.languages.language == "en"


def test_the_kiosks_own_language_setting_is_kept(qtbot, kiosk_settings):
    from kiosk.ui.window import KioskWindow

    kiosk_settings.ui.language = "ko"
    window = KioskWindow(kiosk_settings)
    qtbot.addWidget(window)
    window.nav.go("attract")
    assert window.languages.language == "ko"
    window.nav.current.language_button.click()
    window.nav.go("attract")
    assert window.languages.language == "ko"
    window.set_language("en")
