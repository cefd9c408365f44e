"""Hints and status lines go once they no longer apply (issue 15): a request for a name after
both are typed, "Saved to ..." after a further edit or a new filter, an error after the list loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.errors import StoreError


@pytest.fixture
def window(qtbot, kiosk_settings, registry):
    """Not started (these screens need no camera); the database an admin screen always has by then."""
    from kiosk.ui.window import KioskWindow

    kiosk_settings.ui.language = "en"
    win = KioskWindow(kiosk_settings)
    qtbot.addWidget(win)
    win.resize(762, 960)
    win.show()
    win.ctx.registry = registry
    win.ctx.admin_signed_in = True
    yield win
    win.ctx.registry = None  # the fixture closes it


def test_the_name_and_id_request_goes_once_both_are_typed(qtbot, window):
    enroll = window.nav.go("enroll")
    enroll.camera_button.click()  # nothing typed yet
    assert enroll.form_message.text() == "Please type a name and an ID."
    enroll.keyboard.type_keys("ann")  # on the touch keyboard, as an admin would
    assert enroll.name_edit.text() == "ann"
    assert enroll.form_message.text() == "Please type a name and an ID."  # the ID is still missing
    enroll.keyboard.done_key.click()  # on to the ID field
    enroll.keyboard.type_keys("e7")
    assert (enroll.id_edit.text(), enroll.form_message.text()) == ("e7", "")
    assert enroll.form_message.isVisible()  # empty, not hidden: the form does not jump


def test_an_error_line_is_styled_as_an_error_names_the_file_and_goes_when_the_admin_types(qtbot, window, registry):
    """Issue 21: error text was plain grey, stayed after typing, and the group photo's error did not name the file."""
    from kiosk.errors import KioskError

    window.ctx.registry = registry
    enroll = window.nav.go("enroll")
    enroll.camera_button.click()
    assert enroll.form_message.property("role") == "error"
    enroll.name_edit.setText("Ann")
    enroll.id_edit.setText("E7")
    assert enroll.form_message.text() == "" and enroll.form_message.property("role") == ""
    path = enroll.flow.start_photos([Path("/photos/team outing.jpg")])  # the screen renders on the flow's events
    assert enroll.flow.photo_read(None, KioskError(f"{path}: 4 faces: use a photo of one person")) is None
    assert enroll.form_message.text() == "No usable face in the photos: team outing.jpg: 4 faces: use a photo of one person"
    assert enroll.form_message.property("role") == "error"
    enroll.name_edit.setText("Anna")  # the next attempt begins: the old failure no longer applies
    assert enroll.form_message.text() == ""


def test_a_failed_head_turn_says_what_to_do(qtbot, window, registry):
    """Issue 21: "Capture failed: The head turn was not completed" gave no advice."""
    from kiosk.capture.types import CaptureOutcome, CaptureResult, LivenessVerdict

    window.ctx.registry = registry
    enroll = window.nav.go("enroll")
    enroll.flow.capture_finished(CaptureResult("enroll", CaptureOutcome.CHALLENGE_FAILED, None, 40, 30, 0, {}, LivenessVerdict(0.9, True, False), 12.0))
    assert enroll.form_message.text() == (
        "Capture failed: The head turn was not completed. "
        "Ask them to turn the head slowly left, then right, then face the camera."
    )
    assert enroll.form_message.property("role") == "error"


def test_saved_to_goes_with_the_next_edit(qtbot, window, kiosk_settings):
    settings = window.nav.go("settings")
    settings.save_button.click()
    assert settings.status.text() == "Nothing to save: no setting was changed."
    settings.idle.setValue(settings.idle.value() + 5)
    assert settings.status.text() == ""
    settings.save_button.click()
    settings.confirm_yes.click()
    assert settings.status.text() == f"Saved to {kiosk_settings.config_path}"
    settings.idle.setValue(settings.idle.value() + 5)  # not saved yet: the line would mislead
    assert settings.status.text() == ""
    settings.save_button.click()
    settings.confirm_yes.click()
    assert settings.status.text().startswith("Saved to ")
    settings.events_box.edits["kiosk_name"].setText("lobby")
    assert settings.status.text() == ""


def test_export_line_goes_with_a_new_filter(qtbot, window, registry):
    window.ctx.registry = registry
    registry.audit("admin_login")
    audit = window.nav.go("audit")
    audit.export_button.click()
    assert audit.status.text().startswith("Saved to ")
    audit.period.setCurrentIndex(audit.period.count() - 1)  # everything
    assert audit.status.text() == f"{len(audit.rows)} entries" and audit.rows


class PeopleFailOnce:
    """Fault injection: the real registry, whose first ``people()`` fails as a locked database would."""

    def __init__(self, real) -> None:
        self.real, self.failed = real, False

    def people(self, search=None):
        if not self.failed:
            self.failed = True
            raise StoreError("the database is busy")
        return self.real.people(search)

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_a_failure_message_goes_once_the_list_loads(qtbot, window, registry):
    window.ctx.registry = PeopleFailOnce(registry)
    people = window.nav.go("people")
    assert people.count_label.text() == "the database is busy"
    people.search.setText("a")  # the next load works
    assert people.count_label.text() == "0 people"
