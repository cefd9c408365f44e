"""Settings that cannot weaken the kiosk by accident (issue 21 section 1) and the live score's lock
(issue 22): a wheel over an unfocused field scrolls the page, Save asks (old -> new) and a weaker
threshold needs "I understand", the audit row names what changed, the live score takes the
registry's lock while the fleet thread changes the matrix."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from kiosk.config import load_settings


@pytest.fixture
def window(qtbot, kiosk_settings, analyzer, registry):
    """The real window, not started (the settings screen needs no camera), with the real pack and database."""
    from kiosk.ui.window import KioskWindow

    kiosk_settings.ui.language = "en"
    win = KioskWindow(kiosk_settings)
    qtbot.addWidget(win)
    win.ctx.analyzer, win.ctx.registry = analyzer, registry
    win.resize(762, 960)
    win.show()
    win.ctx.admin_signed_in = True
    yield win
    win.ctx.registry = None  # the fixture closes it


def wheel_down(widget) -> None:
    """One notch of a real mouse wheel over the middle of ``widget``."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0), QPoint(0, -120),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False,
    )
    QApplication.sendEvent(widget, event)


def test_the_wheel_over_an_unfocused_field_scrolls_the_page_and_changes_nothing(qtbot, window):
    screen = window.nav.go("settings")
    bar = screen.form_scroll.verticalScrollBar()
    assert bar.maximum() > 0  # the page is longer than the window
    before = (screen.high.value(), screen.low.value(), screen.language.currentIndex())
    assert before[0] == 0.35  # the test pack's
    for field in (screen.high, screen.low, screen.language):
        assert not field.hasFocus()
        wheel_down(field)
    assert (screen.high.value(), screen.low.value(), screen.language.currentIndex()) == before
    assert bar.value() > 0  # the page scrolled instead
    screen.high.setFocus()  # clicked or tabbed into: now the wheel is the admin's intent
    qtbot.waitUntil(screen.high.hasFocus)
    wheel_down(screen.high)
    assert screen.high.value() == pytest.approx(0.34)


def test_a_threshold_below_the_packs_needs_i_understand_and_the_audit_names_it(qtbot, window, kiosk_settings, registry):
    screen = window.nav.go("settings")
    assert screen.high.minimum() == 0.0  # a negative accept threshold cannot be typed or scrolled to
    screen.high.setValue(0.2)
    screen.save_button.click()
    assert screen.confirm.isVisible() and not kiosk_settings.config_path.exists()  # asked, nothing written
    # What follows from it is shown too: "Reject below" cannot stay above "Accept", the duplicate check follows "Accept".
    assert screen.confirm_changes.text() == "match.high: 0.35 -> 0.2\nmatch.low: 0.25 -> 0.2\nmatch.duplicate: 0.35 -> 0.2"
    risks = screen.confirm_risks.text()
    assert "below 0.35, the model pack's calibrated value" in risks
    assert "records no measured false-accept rate" in risks  # the test pack's manifest has none: said so
    assert not screen.confirm_yes.isEnabled()
    screen.confirm_yes.click()
    assert not kiosk_settings.config_path.exists()
    screen.confirm_no.click()  # "Keep editing": nothing written, the form as it was
    assert not screen.confirm.isVisible() and screen.high.value() == pytest.approx(0.2)
    screen.save_button.click()
    assert not screen.understand.isChecked()  # asked again, never remembered
    screen.understand.setChecked(True)
    screen.confirm_yes.click()
    assert screen.status.text().startswith("Saved to ")
    assert load_settings(data_dir=kiosk_settings.data_dir, environ={}).match.high == 0.2
    [row] = registry.audit_log(event="settings_saved")
    assert row.detail == "match.high: 0.35 -> 0.2; match.low: 0.25 -> 0.2; match.duplicate: 0.35 -> 0.2; weaker security confirmed: match.high, match.low"


def test_an_unchanged_save_writes_nothing_and_an_ordinary_change_needs_no_understanding(qtbot, window, kiosk_settings, registry):
    screen = window.nav.go("settings")
    screen.save_button.click()
    assert screen.status.text() == "Nothing to save: no setting was changed." and not screen.confirm.isVisible()
    screen.high.setValue(0.4)  # stricter than the pack: no risk
    screen.idle.setValue(90)
    screen.save_button.click()
    assert not screen.understand.isVisible() and screen.confirm_yes.isEnabled()
    screen.confirm_yes.click()
    [row] = registry.audit_log(event="settings_saved")
    assert row.detail == "match.high: 0.35 -> 0.4; match.duplicate: 0.35 -> 0.4; ui.idle_timeout_s: 60 -> 90"


def test_a_refused_value_is_shown_as_an_error(qtbot, window, kiosk_settings):
    screen = window.nav.go("settings")
    screen.high.setValue(0.2)
    screen.low.setValue(0.3)  # above high
    screen.save_button.click()
    assert screen.status.text().startswith("Not saved") and screen.status.property("role") == "error"
    assert not screen.confirm.isVisible() and not kiosk_settings.config_path.exists()


def test_the_live_score_waits_for_the_fleet_thread_to_finish_changing_the_matrix(qtbot, window, registry, analyzer, faces_dir):
    """Issue 22: a fleet pull replaces a person's rows under the registry's lock; the live score
    read the matrix without it and saw the person missing halfway (no score). Deterministic: the
    "fleet" thread holds the lock with the rows removed until the score has had its chance to read."""
    from kiosk.engine.aggregate import aggregate

    obs = aggregate([analyzer.embed_image(faces_dir / "deepface" / "img1.jpg")], min_valid=1, outlier_cosine=0.3)
    person = registry.enroll("Angelina Jolie", "P01", obs)
    expected = registry.matcher.top_k(obs.vector, 1)[0].score
    screen = window.nav.go("settings")
    halfway, reading = threading.Event(), threading.Event()

    def fleet_pull() -> None:
        with registry.session():  # as apply_remote: the lock, then the matrix changes
            registry.matcher.remove_person(person.id)
            halfway.set()
            reading.wait(1.0)  # the GUI thread is reading (or waiting on the lock) now
            registry.matcher.add(person.id, obs.vector)

    thread = threading.Thread(target=fleet_pull)
    thread.start()
    assert halfway.wait(5)
    threading.Timer(0.3, reading.set).start()
    screen._score_done(obs.vector)  # the worker's answer arrives on the GUI thread
    thread.join(5)
    assert screen.score == pytest.approx(expected)
